from typing import Any

from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _create_cache_table(*, using: str = "default", **kwargs: Any) -> None:
    """The table of the database cache (an embedded instance's, see CACHES in settings), made
    by every `migrate`, so that the README's two commands need nothing more; nothing when the
    cache is Redis, and nothing when the table is there."""
    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "secretariat.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from secretariat.core import navigation, text_purposes
        from secretariat.core.models import Organisation
        from secretariat.core.permissions import Perm

        # Each app says in its own ``history`` module how its audit keys read.
        autodiscover_modules("history")
        post_migrate.connect(_create_cache_table, sender=self)
        # Core's own sections and texts; the apps add theirs in their ``ready()``.
        navigation.register(
            navigation.Entry("organisation_settings", _("Settings"), 900, Perm.ORG_MANAGE)
        )
        navigation.register(
            navigation.Entry("organisation_roles", _("Users and roles"), 920, Perm.ROLES_MANAGE)
        )
        text_purposes.register_reviewable(Organisation)
