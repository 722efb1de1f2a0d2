"""Form pieces shared by every app: translatable fields side by side, service errors."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from secretariat.core import text_rules
from secretariat.core.models import Organisation
from secretariat.core.text_rules import Status
from secretariat.core.texts import language_name


class DateInput(forms.DateInput):
    """The browser's date picker. ``<input type="date">`` shows and sends ISO dates only, in
    every language: a value in the page's format (01/12/2026, 01.12.2026) would show an empty
    field, and saving the form unchanged would erase the date."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """The browser's date and time picker (``datetime-local``), which knows ISO values only."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class DateField(forms.DateField):
    """A date field whose widget survives every language (see ``DateInput``)."""

    widget = DateInput


class DateTimeField(forms.DateTimeField):
    widget = DateTimeInput


class TextField(forms.CharField):
    """Free text, in a text area or not: kept with line feeds only, whatever the browser sends
    (CRLF), so that a form saved unchanged changes nothing."""

    def to_python(self, value: Any) -> str:
        return text_rules.normalise(super().to_python(value) or "")


class TranslatableFormMixin:
    """Adds one input per working language for each translatable field, named ``<field>__<lang>``,
    and groups them so that templates show the languages side by side."""

    translatable: dict[str, dict[str, Any]] = {}  # field name -> {"label", "textarea", "required"}
    fields: dict[str, forms.Field]

    def setup_translatable(
        self,
        organisation: Organisation,
        instance: Any = None,
        statuses: dict[str, dict[str, Status]] | None = None,
    ) -> None:
        self.organisation = organisation
        self.text_statuses = statuses or {}
        for name, spec in self.translatable.items():
            current = getattr(instance, name, None) or {} if instance is not None else {}
            for lang in organisation.languages:
                widget = (
                    forms.Textarea(attrs={"rows": 4, "lang": lang})
                    if spec.get("textarea")
                    else forms.TextInput(attrs={"lang": lang})
                )
                self.fields[f"{name}__{lang}"] = TextField(
                    label=f"{spec['label']} ({language_name(lang)})",
                    required=False,
                    widget=widget,
                    initial=current.get(lang, ""),
                    max_length=spec.get("max_length", 20000),
                )

    def translatable_groups(self) -> list[dict[str, Any]]:
        groups = []
        for name, spec in self.translatable.items():
            statuses = self.text_statuses.get(name, {})
            groups.append(
                {
                    "name": name,
                    "label": spec["label"],
                    "required": spec.get("required", False),
                    "versions": [
                        {
                            "language": lang,
                            "field": self[f"{name}__{lang}"],  # type: ignore[index]
                            "status": statuses.get(lang, Status.MISSING),
                        }
                        for lang in self.organisation.languages
                    ],
                }
            )
        return groups

    def texts(self) -> dict[str, dict[str, str]]:
        data = self.cleaned_data  # type: ignore[attr-defined]
        return {
            name: {lang: data.get(f"{name}__{lang}", "") for lang in self.organisation.languages}
            for name in self.translatable
        }


def apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's errors on the form fields they concern."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    languages: Iterable[str] = getattr(getattr(form, "organisation", None), "languages", [])
    for name, errors in error.message_dict.items():
        if name in form.fields:
            form.add_error(name, errors)
            continue
        target = next(
            (f"{name}__{lang}" for lang in languages if f"{name}__{lang}" in form.fields), None
        )
        form.add_error(target, errors)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("CSV in UTF-8, with a header row; or an Excel workbook (first sheet)."),
    )
