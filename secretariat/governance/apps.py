from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "secretariat.governance"
    label = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        from secretariat.governance import text_deadlines

        text_deadlines.register()
