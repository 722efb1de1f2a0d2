from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "secretariat.network"
    label = "network"
    verbose_name = _("Network")

    def ready(self) -> None:
        from django.urls import reverse

        from secretariat.core.text_purposes import register_link
        from secretariat.network.models import Affiliation, Partner, Person

        register_link(
            Partner, lambda o: reverse("partner_detail", args=[o.organisation.slug, o.pk])
        )
        register_link(Person, lambda o: reverse("person_detail", args=[o.organisation.slug, o.pk]))
        register_link(
            Affiliation,
            lambda o: reverse("person_detail", args=[o.organisation.slug, o.person_id]),
        )
