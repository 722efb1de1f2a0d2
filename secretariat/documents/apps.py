from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "secretariat.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from secretariat.core import navigation
        from secretariat.core.permissions import Perm

        navigation.register(
            navigation.Entry("document_templates", _("Templates"), 910, Perm.ORG_MANAGE)
        )
