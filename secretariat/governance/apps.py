from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "secretariat.governance"
    label = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        from secretariat.core import daily, dashboard, navigation
        from secretariat.core.permissions import Perm
        from secretariat.core.text_purposes import register_reviewable
        from secretariat.documents import kinds
        from secretariat.governance import dossier, reminders, selectors, text_deadlines
        from secretariat.governance.models import Body

        text_deadlines.register()
        register_reviewable(Body)
        for kind in dossier.DOCUMENT_KINDS:
            kinds.register(kind)
        daily.register(daily.Job("governance.reminders", reminders.daily_job, 100))
        for url_name, label, order in [
            ("body_list", _("Bodies"), 200),
            ("meeting_list", _("Meetings"), 210),
            ("register", _("Decisions"), 220),
            ("presidency", _("Presidency"), 230),
        ]:
            navigation.register(navigation.Entry(url_name, label, order))
        dashboard.register(
            dashboard.Panel(
                "governance.mail_waiting",
                dashboard.Slot.NOTICE,
                200,
                "governance/partials/home_mail_waiting.html",
                lambda access: {},
                Perm.MEETING_CONVENE,
            )
        )
        dashboard.register(
            dashboard.Panel(
                "governance.presidency",
                dashboard.Slot.FACT,
                200,
                "governance/partials/home_presidency.html",
                lambda access: {
                    "presidency": selectors.current_presidency(organisation=access.organisation)
                },
            )
        )
        dashboard.register(
            dashboard.Panel(
                "governance.bodies",
                dashboard.Slot.COUNT,
                200,
                "governance/partials/home_bodies.html",
                lambda access: selectors.counts(organisation=access.organisation),
            )
        )
