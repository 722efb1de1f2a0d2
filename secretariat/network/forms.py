from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from secretariat.core.forms import DateField, TextField, TranslatableFormMixin
from secretariat.core.territories import country_choices
from secretariat.network import identifiers
from secretariat.network.models import LegalBasis, Partner, PartnerKind, Person


class PartnerForm(TranslatableFormMixin, forms.Form):
    translatable = {
        "name": {"label": _("Official name"), "required": True, "max_length": 300},
        "short_name": {"label": _("Short name"), "max_length": 120},
    }
    kind = forms.ChoiceField(label=_("Kind"), choices=PartnerKind.choices)
    country = forms.ChoiceField(label=_("Country"), choices=())
    subdivision = forms.CharField(
        label=_("Subdivision (ISO 3166-2) or community"),
        required=False,
        max_length=10,
        help_text=_(
            "For example FR-57 (Moselle), DE-SL (Saarland), BE-WHT (Hainaut); for a Belgian "
            "community BE-DG (German-speaking), BE-FWB (French), BE-VG (Flemish). The date finder "
            "shows the public holidays of each."
        ),
    )
    member_since = DateField(label=_("Member since"), required=False)
    member_until = DateField(label=_("Member until"), required=False)
    contribution_share = forms.DecimalField(
        label=_("Statutory contribution share (%)"), required=False, max_digits=7, decimal_places=4
    )
    vote_weight = forms.DecimalField(
        label=_("Vote weight"), required=False, max_digits=8, decimal_places=2
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    def __init__(
        self,
        *args: Any,
        organisation: Any,
        instance: Partner | None = None,
        statuses: Any = None,
        **kwargs: Any,
    ) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(instance, name)
                for name in (
                    "kind",
                    "country",
                    "subdivision",
                    "member_since",
                    "member_until",
                    "contribution_share",
                    "vote_weight",
                    "website",
                )
            }
        codes = (
            {i.scheme: i.code for i in instance.identifiers.all()} if instance is not None else {}
        )
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["country"]).choices = [("", "—"), *country_choices()]
        # One field per scheme, named like the import column, so that the service's errors
        # (keyed ``code_nis``…) land on them.
        for scheme, label in identifiers.choices():
            self.fields[identifiers.column(scheme)] = forms.CharField(
                label=str(label), required=False, max_length=60, initial=codes.get(scheme, "")
            )
        self.setup_translatable(organisation, instance, statuses)

    def identifier_fields(self) -> list[Any]:
        return [self[identifiers.column(scheme)] for scheme in identifiers.SCHEMES]

    def values(self) -> dict[str, Any]:
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if "__" not in k and identifiers.scheme_of_column(k) is None
        }
        data["identifiers"] = {
            scheme: self.cleaned_data[identifiers.column(scheme)] for scheme in identifiers.SCHEMES
        }
        return data | self.texts()


class PersonForm(TranslatableFormMixin, forms.Form):
    translatable = {
        "title": {"label": _("Title"), "max_length": 100},
        "salutation": {"label": _("Form of address"), "max_length": 200},
    }
    given_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=100)
    emails = TextField(
        label=_("E-mail addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line; the first is the main address."),
    )
    phones = TextField(
        label=_("Phones"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
    )
    languages = forms.CharField(
        label=_("Languages"),
        help_text=_(
            "Language codes in order of preference, the preferred first, e.g. “lb, fr, de”."
        ),
    )
    legal_basis = forms.ChoiceField(
        label=_("Legal basis for processing"), choices=LegalBasis.choices
    )
    consent_given_on = DateField(label=_("Consent given on"), required=False)
    consent_note = forms.CharField(label=_("How consent was given"), required=False, max_length=300)
    tags = forms.CharField(label=_("Tags"), required=False, help_text=_("Separated by commas."))

    def __init__(
        self,
        *args: Any,
        organisation: Any,
        instance: Person | None = None,
        statuses: Any = None,
        **kwargs: Any,
    ) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "given_name": instance.given_name,
                "family_name": instance.family_name,
                "emails": "\n".join(e.email for e in instance.emails.all()),
                "phones": "\n".join(instance.phones),
                "languages": ", ".join(instance.languages),
                "legal_basis": instance.legal_basis,
                "consent_given_on": instance.consent_given_on,
                "consent_note": instance.consent_note,
                "tags": ", ".join(t.name for t in instance.tags.all()),
            }
        elif "initial" not in kwargs:
            kwargs["initial"] = {"languages": ", ".join(organisation.languages)}
        super().__init__(*args, **kwargs)
        self.setup_translatable(organisation, instance, statuses)

    def values(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if "__" not in k}
        data["emails"] = [e for e in data["emails"].split() if e]
        data["phones"] = [p for p in data["phones"].splitlines() if p.strip()]
        data["tags"] = [t for t in data["tags"].split(",") if t.strip()]
        return data | self.texts()


class AffiliationForm(TranslatableFormMixin, forms.Form):
    translatable = {"function": {"label": _("Function"), "max_length": 200}}
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Partner.objects.none())
    start = DateField(label=_("From"), required=False)
    end = DateField(label=_("Until"), required=False)

    def __init__(
        self,
        *args: Any,
        organisation: Any,
        partners: Any,
        instance: Any = None,
        statuses: Any = None,
        **kwargs: Any,
    ) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "partner": instance.partner_id,
                "start": instance.start,
                "end": instance.end,
            }
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["partner"]).queryset = partners
        self.setup_translatable(organisation, instance, statuses)

    def values(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if "__" not in k}
        return data | self.texts()


class PartnerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *PartnerKind.choices]
    )
    country = forms.CharField(label=_("Country"), required=False, max_length=2)


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    partner = forms.IntegerField(label=_("Partner"), required=False, widget=forms.HiddenInput)
    tag = forms.CharField(label=_("Tag"), required=False)
    language = forms.ChoiceField(
        label=_("Preferred language"),
        required=False,
        choices=[("", _("Any language")), *settings.CONTENT_LANGUAGES],
    )
