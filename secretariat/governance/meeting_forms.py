from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from secretariat.core.forms import DateField, DateTimeField, TextField, TranslatableFormMixin
from secretariat.governance.body_rules import RULE_FIELDS
from secretariat.governance.models import BodyRules, ItemKind, MeetingMode
from secretariat.network.models import Person


class MeetingForm(TranslatableFormMixin, forms.Form):
    translatable = {"title": {"label": _("Title"), "required": True, "max_length": 300}}
    start = DateTimeField(label=_("Start"))
    end = DateTimeField(label=_("End"))
    timezone = forms.CharField(label=_("Time zone"), max_length=64)
    mode = forms.ChoiceField(label=_("Form"), choices=MeetingMode.choices)
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    room = forms.CharField(label=_("Room"), required=False, max_length=100)
    address = forms.CharField(label=_("Address"), required=False, max_length=300)
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")

    def __init__(
        self,
        *args: Any,
        organisation: Any,
        instance: Any = None,
        statuses: Any = None,
        **kwargs: Any,
    ) -> None:
        if instance is not None and "initial" not in kwargs:
            import zoneinfo

            tz = zoneinfo.ZoneInfo(instance.timezone)
            kwargs["initial"] = {
                "start": instance.start.astimezone(tz).replace(tzinfo=None),
                "end": instance.end.astimezone(tz).replace(tzinfo=None),
                **{
                    k: getattr(instance, k)
                    for k in ("timezone", "mode", "place", "room", "address", "online_url")
                },
            }
        kwargs.setdefault("initial", {}).setdefault("timezone", organisation.timezone)
        super().__init__(*args, **kwargs)
        self.setup_translatable(organisation, instance, statuses)

    def values(self) -> dict[str, Any]:
        """Start and end are read in the meeting's own time zone, not the server's."""
        import zoneinfo

        data = {k: v for k, v in self.cleaned_data.items() if "__" not in k}
        try:
            tz = zoneinfo.ZoneInfo(data["timezone"])
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return data | self.texts()
        for name in ("start", "end"):
            data[name] = data[name].replace(tzinfo=None).replace(tzinfo=tz)
        return data | self.texts()


class ItemForm(TranslatableFormMixin, forms.Form):
    translatable = {
        "title": {"label": _("Title"), "required": True, "max_length": 500},
        "description": {"label": _("Explanation"), "textarea": True},
        "draft_decision": {"label": _("Draft decision"), "textarea": True},
    }
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[c for c in ItemKind.choices if c[0] != ItemKind.MINUTES_APPROVAL]
    )
    rapporteur = forms.ModelChoiceField(
        label=_("Rapporteur"), queryset=Person.objects.none(), required=False
    )
    public = forms.BooleanField(label=_("Public"), required=False, initial=True)
    majority_kind = forms.ChoiceField(
        label=_("Majority required (if not the body's usual one)"),
        required=False,
        choices=[("", "—"), *BodyRules.MajorityKind.choices],
    )

    def __init__(
        self,
        *args: Any,
        organisation: Any,
        instance: Any = None,
        statuses: Any = None,
        **kwargs: Any,
    ) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": instance.kind,
                "rapporteur": instance.rapporteur_id,
                "public": instance.public,
                "majority_kind": instance.majority_kind,
            }
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["rapporteur"]).queryset = Person.objects.filter(
            organisation=organisation
        ).order_by("family_name", "given_name")
        if instance is not None and instance.kind == ItemKind.MINUTES_APPROVAL:
            cast(forms.ChoiceField, self.fields["kind"]).choices = ItemKind.choices
        self.setup_translatable(organisation, instance, statuses)

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if "__" not in k} | self.texts()


class RulesForm(forms.Form):
    """The rules of a body as the page edits them: the model's fields, read from the post and
    checked by the service (``body_rules.body_rules_update``), which the API calls too."""

    def __init__(self, *args: Any, rules: BodyRules, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {name: getattr(rules, name) for name in RULE_FIELDS})
        super().__init__(*args, **kwargs)
        self.fields.update(forms.fields_for_model(BodyRules, fields=RULE_FIELDS))


class ConveneForm(forms.Form):
    override_reason = TextField(
        label=_("Reason for sending after the notice deadline"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DateFinderForm(forms.Form):
    start = DateField(label=_("From"))
    end = DateField(label=_("Until"))
