"""Pages of the organisation itself: overview, settings, roles, text review."""

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secretariat.core import audit, dashboard, services, text_purposes, texts
from secretariat.core.forms import TranslatableFormMixin, apply_errors
from secretariat.core.models import AuditEntry, LegalForm, Role, RoleKind
from secretariat.core.permissions import Perm
from secretariat.core.territories import country_choices
from secretariat.core.views.base import OrgView, is_htmx


class DashboardView(OrgView):
    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        return render(
            request,
            "core/dashboard.html",
            self.context(
                panels=dashboard.shown(self.access),
                recent=audit_recent(self) if self.can(Perm.AUDIT_VIEW) else [],
            ),
        )


def audit_recent(view: OrgView) -> list[Any]:
    return list(AuditEntry.objects.select_related("actor", "content_type").order_by("-at")[:10])


class OrganisationForm(TranslatableFormMixin, forms.Form):
    translatable = {
        "name": {"label": gettext_lazy("Name"), "required": True},
        "description": {"label": gettext_lazy("Description"), "textarea": True},
    }
    short_name = forms.CharField(label=gettext_lazy("Short name"), max_length=80)
    legal_form = forms.ChoiceField(label=gettext_lazy("Legal form"), choices=LegalForm.choices)
    seat_street = forms.CharField(label=gettext_lazy("Street"), required=False)
    seat_postcode = forms.CharField(label=gettext_lazy("Postcode"), required=False)
    seat_city = forms.CharField(label=gettext_lazy("City"), required=False)
    seat_country = forms.ChoiceField(label=gettext_lazy("Country"), choices=())
    languages = forms.CharField(
        label=gettext_lazy("Working languages"),
        help_text=gettext_lazy("Language codes in order of precedence, e.g. “fr, de”."),
    )
    default_language = forms.ChoiceField(
        label=gettext_lazy("Default language"), choices=settings.CONTENT_LANGUAGES
    )
    timezone = forms.CharField(label=gettext_lazy("Time zone"))
    fiscal_year_start_month = forms.IntegerField(
        label=gettext_lazy("First month of the fiscal year"), min_value=1, max_value=12
    )
    require_two_factor = forms.BooleanField(
        label=gettext_lazy("Require two-factor authentication of administrators and staff"),
        required=False,
    )
    logo = forms.ImageField(
        label=gettext_lazy("Logo"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
        ),
    )

    def __init__(self, *args: Any, organisation: Any, statuses: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["seat_country"]).choices = country_choices()
        self.setup_translatable(organisation, organisation, statuses)

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["languages"] = [
            p.strip().lower() for p in data["languages"].replace(";", ",").split(",")
        ]
        for key in list(data):
            if "__" in key:
                del data[key]
        if not data.get("logo"):
            data.pop("logo", None)
        return data | self.texts()


class SettingsView(OrgView):
    permission = Perm.ORG_MANAGE

    def form(self, data: Any = None, files: Any = None) -> OrganisationForm:
        o = self.organisation
        initial = {
            name: getattr(o, name)
            for name in services.ORGANISATION_FIELDS
            if name not in ("languages", "logo")
        }
        initial["languages"] = ", ".join(o.languages)
        return OrganisationForm(
            data, files, organisation=o, statuses=texts.statuses_of(o), initial=initial
        )

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        return render(
            request,
            "core/settings.html",
            self.context(form=self.form(), audit_entries=audit_context(self.organisation)),
        )

    def post(self, request: HttpRequest, org: str) -> HttpResponse:
        form = self.form(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.organisation_update(
                    organisation=self.organisation,
                    by=self.user,
                    **form.values(),
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The organisation's settings were saved."))
                return redirect("organisation_settings", org=org)
        return render(
            request,
            "core/settings.html",
            self.context(form=form, audit_entries=audit_context(self.organisation)),
            status=400,
        )


class RoleForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"))
    full_name = forms.CharField(label=gettext_lazy("Full name"), required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Role"), choices=RoleKind.choices)
    partner: forms.ModelChoiceField = forms.ModelChoiceField(
        label=gettext_lazy("Partner (for a partner coordinator)"),
        queryset=None,  # the organisation's partners, set by __init__
        required=False,
    )

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The partner model through the role's own foreign key: core imports no domain app.
        partners: Any = Role._meta.get_field("partner").related_model
        cast(
            forms.ModelChoiceField, self.fields["partner"]
        ).queryset = partners._default_manager.all()


class RolesView(OrgView):
    permission = Perm.ROLES_MANAGE

    def render_page(self, form: RoleForm, status: int = 200) -> HttpResponse:
        roles = Role.objects.select_related("user", "partner").order_by("user__email", "kind")
        return render(
            self.request, "core/roles.html", self.context(form=form, roles=roles), status=status
        )

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        return self.render_page(RoleForm(organisation=self.organisation))

    def post(self, request: HttpRequest, org: str) -> HttpResponse:
        if "revoke" in request.POST:
            role = get_object_or_404(Role, pk=request.POST["revoke"])
            try:
                services.role_revoke(role=role, by=self.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            return redirect("organisation_roles", org=org)
        form = RoleForm(request.POST, organisation=self.organisation)
        if form.is_valid():
            user = services.user_for_email(
                email=form.cleaned_data["email"], full_name=form.cleaned_data["full_name"]
            )
            try:
                services.role_grant(
                    organisation=self.organisation,
                    user=user,
                    kind=form.cleaned_data["kind"],
                    partner=form.cleaned_data["partner"],
                    by=self.user,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The role was granted."))
                return redirect("organisation_roles", org=org)
        return self.render_page(form, status=400)


class TextReviewView(OrgView):
    """Mark one language version as reviewed (a button beside it, with HTMX)."""

    permission = Perm.TEXT_REVIEW

    def post(self, request: HttpRequest, org: str) -> HttpResponse:
        label = request.POST.get("model", "")
        if not text_purposes.reviewable(label):
            raise Http404
        model = ContentType.objects.get_by_natural_key(*label.split(".")).model_class()
        assert model is not None
        queryset = model._default_manager.all()
        if label == "core.organisation":
            obj = get_object_or_404(queryset, pk=self.organisation.pk)
        else:
            obj = get_object_or_404(queryset, pk=request.POST.get("pk"))
        try:
            status = texts.text_review(
                obj=cast(Any, obj),
                field_name=request.POST.get("field", ""),
                language=request.POST.get("language", ""),
                by=self.user,
            )
        except (ValidationError, KeyError):
            return HttpResponse(_("This version cannot be reviewed."), status=400)
        if is_htmx(request):
            return render(request, "core/partials/text_status.html", {"status": status})
        messages.success(request, _("Marked as reviewed."))
        target = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return redirect(target)
        return redirect("dashboard", org=org)


def audit_context(obj: Any) -> list[Any]:
    return list(audit.entries_for(obj)[:50])


def text_context(view: OrgView, obj: Any) -> dict[str, Any]:
    """What ``core/partials/texts_table.html`` shows: every language version, its state, and
    the warnings of the translation checks (the termbase)."""
    from secretariat.core import text_checks

    statuses = texts.statuses_of(obj)
    versions = texts.versions_of(obj)
    languages = view.organisation.languages
    rows: list[dict[str, Any]] = []
    pairs: list[text_checks.Pair] = []
    where: list[tuple[int, int]] = []
    for name in texts.translatable_fields(type(obj)):
        values = getattr(obj, name) or {}
        cells = [
            {
                "language": lang,
                "text": values.get(lang, ""),
                "status": statuses[name][lang],
                "warnings": [],
            }
            for lang in languages
        ]
        for position, lang in enumerate(languages):
            version = versions[name].get(lang)
            if (
                version is not None
                and not version.is_original
                and version.source_language in values
            ):
                pairs.append(
                    (version.source_language, values[version.source_language], lang, version.text)
                )
                where.append((len(rows), position))
        rows.append({"name": name, "label": obj._meta.get_field(name).verbose_name, "cells": cells})
    for (row, position), found in zip(
        where, text_checks.warnings(view.organisation, pairs), strict=True
    ):
        rows[row]["cells"][position]["warnings"] = found
    return {
        "text_rows": rows,
        "model_label": obj._meta.label_lower,
        "object_pk": obj.pk,
        "can_review": view.can(Perm.TEXT_REVIEW),
    }
