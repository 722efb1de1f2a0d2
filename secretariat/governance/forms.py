from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from secretariat.core.forms import DateField, TranslatableFormMixin
from secretariat.governance.models import Body, BodyKind, Membership, MembershipRole
from secretariat.network.models import Partner, Person


class BodyForm(TranslatableFormMixin, forms.Form):
    translatable = {
        "name": {"label": _("Name"), "required": True, "max_length": 300},
        "description": {"label": _("Description"), "textarea": True},
    }
    kind = forms.ChoiceField(label=_("Kind"), choices=BodyKind.choices)
    short_code = forms.CharField(
        label=_("Short code"),
        max_length=10,
        help_text=_("Used to number decisions, e.g. AG-2026-07."),
    )

    def __init__(
        self,
        *args: Any,
        organisation: Any,
        instance: Body | None = None,
        statuses: Any = None,
        **kwargs: Any,
    ) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {"kind": instance.kind, "short_code": instance.short_code}
        super().__init__(*args, **kwargs)
        self.setup_translatable(organisation, instance, statuses)

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if "__" not in k} | self.texts()


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.family_name}, {obj.given_name}"


class MembershipForm(forms.Form):
    person = PersonChoiceField(label=_("Person"), queryset=Person.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)
    partner = forms.ModelChoiceField(
        label=_("Represented partner"), queryset=Partner.objects.none(), required=False
    )
    voting = forms.BooleanField(label=_("Voting right"), required=False, initial=True)
    substitute_for = forms.ModelChoiceField(
        label=_("Substitute of"), queryset=Membership.objects.none(), required=False
    )
    start = DateField(label=_("From"), required=False)
    end = DateField(label=_("Until"), required=False)

    def __init__(
        self, *args: Any, body: Body, instance: Membership | None = None, **kwargs: Any
    ) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "person": instance.person_id,
                "role": instance.role,
                "partner": instance.partner_id,
                "voting": instance.voting,
                "substitute_for": instance.substitute_for_id,
                "start": instance.start,
                "end": instance.end,
            }
        super().__init__(*args, **kwargs)
        org = body.organisation
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = Person.objects.filter(
            organisation=org
        ).order_by("family_name", "given_name")
        cast(forms.ModelChoiceField, self.fields["partner"]).queryset = Partner.objects.filter(
            organisation=org
        )
        # Any membership of the organisation may be chosen, so that a wrong body gets a clear
        # message from the service rather than a bare "invalid choice".
        cast(
            forms.ModelChoiceField, self.fields["substitute_for"]
        ).queryset = Membership.objects.filter(organisation=org).select_related("person")


class PresidencyForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("Presiding partner"), queryset=Partner.objects.none())
    president = PersonChoiceField(
        label=_("President"), queryset=Person.objects.none(), required=False
    )
    start = DateField(label=_("From"))
    end = DateField(label=_("Until"))

    def __init__(self, *args: Any, organisation: Any, instance: Any = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "partner": instance.partner_id,
                "president": instance.president_id,
                "start": instance.start,
                "end": instance.end,
            }
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["partner"]).queryset = Partner.objects.filter(
            organisation=organisation
        )
        cast(forms.ModelChoiceField, self.fields["president"]).queryset = Person.objects.filter(
            organisation=organisation
        ).order_by("family_name")
