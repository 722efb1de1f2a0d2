from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "secretariat.network"
    label = "network"
    verbose_name = _("Network")

    def ready(self) -> None:
        from django.urls import reverse

        from secretariat.core import dashboard, navigation
        from secretariat.core.permissions import Perm
        from secretariat.core.text_purposes import register_link, register_reviewable
        from secretariat.network import selectors
        from secretariat.network.models import Affiliation, Partner, Person

        register_link(
            Partner, lambda o: reverse("partner_detail", args=[o.organisation.slug, o.pk])
        )
        register_link(Person, lambda o: reverse("person_detail", args=[o.organisation.slug, o.pk]))
        register_link(
            Affiliation,
            lambda o: reverse("person_detail", args=[o.organisation.slug, o.person_id]),
        )
        for model in (Partner, Person, Affiliation):
            register_reviewable(model)
        navigation.register(navigation.Entry("partner_list", _("Partners"), 100))
        navigation.register(navigation.Entry("person_list", _("People"), 110, Perm.PERSON_VIEW))
        dashboard.register(
            dashboard.Panel(
                "network.counts",
                dashboard.Slot.COUNT,
                100,
                "network/partials/home_counts.html",
                lambda access: selectors.counts(organisation=access.organisation),
            )
        )
