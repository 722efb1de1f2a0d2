"""Pages of the network: partners and people. Thin: forms in, services and selectors out."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from secretariat.core import permissions, texts
from secretariat.core.forms import ImportForm, apply_errors
from secretariat.core.permissions import Perm
from secretariat.core.views.base import (
    OrgView,
    is_htmx,
    paginate,
    query_without_page,
    table_download,
)
from secretariat.core.views.organisation import audit_context, text_context
from secretariat.network import exchange, selectors, services
from secretariat.network.forms import (
    AffiliationForm,
    PartnerFilterForm,
    PartnerForm,
    PersonFilterForm,
    PersonForm,
)
from secretariat.network.models import Affiliation, Partner, Person

# Partners ---------------------------------------------------------------------------------------


class PartnerListView(OrgView):
    permission = Perm.PARTNER_VIEW

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        filters = PartnerFilterForm(request.GET)
        filters.is_valid()
        data = filters.cleaned_data
        partners = selectors.partner_list(
            organisation=self.organisation,
            q=data.get("q") or "",
            kind=data.get("kind") or "",
            country=data.get("country") or "",
            language=(get_language() or "")[:2],
        )
        template = (
            "network/partials/partner_rows.html"
            if is_htmx(request)
            else "network/partner_list.html"
        )
        return render(
            request,
            template,
            self.context(
                filters=filters, page=paginate(request, partners), query=query_without_page(request)
            ),
        )


SHOWN = 50


class PartnerDetailView(OrgView):
    permission = Perm.PARTNER_VIEW

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        partner = get_object_or_404(Partner, pk=pk)
        # The partner page shows the first rows; the full lists are the filtered people list and
        # the bodies' pages.
        people = (
            Affiliation.objects.filter(partner=partner)
            .select_related("person")
            .order_by("end", "person__family_name", "id")
            if self.can(Perm.PERSON_VIEW)
            else Affiliation.objects.none()
        )
        memberships = partner.memberships.select_related("body", "person").order_by("body_id", "id")
        return render(
            request,
            "network/partner_detail.html",
            self.context(
                partner=partner,
                **text_context(self, partner),
                affiliations=people[:SHOWN],
                affiliation_count=people.count(),
                memberships=memberships[:SHOWN],
                membership_count=memberships.count(),
                can_edit=self.can(Perm.PARTNER_EDIT, partner),
                audit_entries=audit_context(partner) if self.can(Perm.AUDIT_VIEW) else None,
            ),
        )


class PartnerEditView(OrgView):
    permission = Perm.PARTNER_VIEW

    def get_partner(self, pk: int | None) -> Partner | None:
        if pk is None:
            self.require(Perm.PARTNER_CREATE)
            return None
        partner = get_object_or_404(Partner, pk=pk)
        self.require(Perm.PARTNER_EDIT, partner)
        return partner

    def show(self, form: PartnerForm, partner: Partner | None, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            "network/partner_form.html",
            self.context(form=form, partner=partner),
            status=status,
        )

    def get(self, request: HttpRequest, org: str, pk: int | None = None) -> HttpResponse:
        partner = self.get_partner(pk)
        statuses = texts.statuses_of(partner) if partner else None
        return self.show(
            PartnerForm(organisation=self.organisation, instance=partner, statuses=statuses),
            partner,
        )

    def post(self, request: HttpRequest, org: str, pk: int | None = None) -> HttpResponse:
        partner = self.get_partner(pk)
        statuses = texts.statuses_of(partner) if partner else None
        form = PartnerForm(
            request.POST, organisation=self.organisation, instance=partner, statuses=statuses
        )
        if form.is_valid():
            try:
                if partner is None:
                    partner = services.partner_create(
                        organisation=self.organisation, by=self.user, **form.values()
                    )
                else:
                    services.partner_update(partner=partner, by=self.user, **form.values())
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The partner was saved."))
                return redirect("partner_detail", org=org, pk=partner.pk)
        return self.show(form, partner, status=400)


class PartnerDeleteView(OrgView):
    permission = Perm.PARTNER_CREATE

    def post(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        partner = get_object_or_404(Partner, pk=pk)
        try:
            services.partner_delete(partner=partner, by=self.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("partner_detail", org=org, pk=pk)
        messages.success(request, _("The partner was deleted."))
        return redirect("partner_list", org=org)


# People -----------------------------------------------------------------------------------------


class PersonListView(OrgView):
    permission = Perm.PERSON_VIEW

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        filters = PersonFilterForm(request.GET)
        filters.is_valid()
        data = filters.cleaned_data
        people = selectors.person_list(
            organisation=self.organisation,
            q=data.get("q") or "",
            partner=data.get("partner"),
            tag=data.get("tag") or "",
            language=data.get("language") or "",
        )
        page = paginate(request, selectors.with_list_details(people))
        template = (
            "network/partials/person_rows.html" if is_htmx(request) else "network/person_list.html"
        )
        return render(
            request,
            template,
            self.context(filters=filters, page=page, query=query_without_page(request)),
        )


class PersonDetailView(OrgView):
    permission = Perm.PERSON_VIEW

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        try:
            person = selectors.person_detail(organisation=self.organisation, pk=pk)
        except Person.DoesNotExist as error:
            raise Http404 from error
        return render(
            request,
            "network/person_detail.html",
            self.context(
                person=person,
                **text_context(self, person),
                can_edit=self.can(Perm.PERSON_EDIT, person),
                audit_entries=audit_context(person) if self.can(Perm.AUDIT_VIEW) else None,
            ),
        )


class PersonEditView(OrgView):
    permission = Perm.PERSON_VIEW

    def get_person(self, pk: int | None) -> Person | None:
        if pk is None:
            self.require(Perm.PERSON_CREATE)
            return None
        person = get_object_or_404(Person, pk=pk)
        self.require(Perm.PERSON_EDIT, person)
        return person

    def show(self, form: PersonForm, person: Person | None, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            "network/person_form.html",
            self.context(form=form, person=person),
            status=status,
        )

    def get(self, request: HttpRequest, org: str, pk: int | None = None) -> HttpResponse:
        person = self.get_person(pk)
        statuses = texts.statuses_of(person) if person else None
        return self.show(
            PersonForm(organisation=self.organisation, instance=person, statuses=statuses), person
        )

    def post(self, request: HttpRequest, org: str, pk: int | None = None) -> HttpResponse:
        person = self.get_person(pk)
        statuses = texts.statuses_of(person) if person else None
        form = PersonForm(
            request.POST, organisation=self.organisation, instance=person, statuses=statuses
        )
        if form.is_valid():
            try:
                if person is None:
                    person = self.create(form)
                else:
                    services.person_update(person=person, by=self.user, **form.values())
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The person was saved."))
                return redirect("person_detail", org=self.kwargs["org"], pk=person.pk)
        return self.show(form, person, status=400)

    def create(self, form: PersonForm) -> Person:
        partner = permissions.partner_of_new_people(self.access)
        return services.person_create(
            organisation=self.organisation,
            by=self.user,
            affiliated_to=Partner.objects.get(pk=partner) if partner is not None else None,
            **form.values(),
        )


class PersonDeleteView(OrgView):
    permission = Perm.PERSON_VIEW

    def post(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        person = get_object_or_404(Person, pk=pk)
        self.require(Perm.PERSON_EDIT, person)
        services.person_delete(person=person, by=self.user)
        messages.success(request, _("The person was deleted."))
        return redirect("person_list", org=org)


class AffiliationEditView(OrgView):
    permission = Perm.PERSON_VIEW

    def load(self, person_pk: int, pk: int | None) -> tuple[Person, Affiliation | None]:
        person = get_object_or_404(Person, pk=person_pk)
        self.require(Perm.PERSON_EDIT, person)
        affiliation = get_object_or_404(person.affiliations.all(), pk=pk) if pk else None
        return person, affiliation

    def partners(self) -> Any:
        # A coordinator affiliates people to the partners they coordinate (the matrix's rule).
        partners = Partner.objects.all()
        if not self.can(Perm.AFFILIATION_EDIT):
            partners = partners.filter(pk__in=self.access.partner_ids)
        return partners

    def show(
        self,
        form: AffiliationForm,
        person: Person,
        affiliation: Affiliation | None,
        status: int = 200,
    ) -> HttpResponse:
        return render(
            self.request,
            "network/affiliation_form.html",
            self.context(form=form, person=person, affiliation=affiliation),
            status=status,
        )

    def get(
        self, request: HttpRequest, org: str, person_pk: int, pk: int | None = None
    ) -> HttpResponse:
        person, affiliation = self.load(person_pk, pk)
        statuses = texts.statuses_of(affiliation) if affiliation else None
        form = AffiliationForm(
            organisation=self.organisation,
            partners=self.partners(),
            instance=affiliation,
            statuses=statuses,
        )
        return self.show(form, person, affiliation)

    def post(
        self, request: HttpRequest, org: str, person_pk: int, pk: int | None = None
    ) -> HttpResponse:
        person, affiliation = self.load(person_pk, pk)
        if "delete" in request.POST and affiliation is not None:
            services.affiliation_delete(affiliation=affiliation, by=self.user)
            messages.success(request, _("The affiliation was removed."))
            return redirect("person_detail", org=org, pk=person.pk)
        form = AffiliationForm(
            request.POST,
            organisation=self.organisation,
            partners=self.partners(),
            instance=affiliation,
        )
        if form.is_valid():
            try:
                if affiliation is None:
                    services.affiliation_create(person=person, by=self.user, **form.values())
                else:
                    services.affiliation_update(
                        affiliation=affiliation, by=self.user, **form.values()
                    )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The affiliation was saved."))
                return redirect("person_detail", org=org, pk=person.pk)
        return self.show(form, person, affiliation, status=400)


# Import and export ------------------------------------------------------------------------------

KINDS = {"partners", "people"}


class ExportView(OrgView):
    permission = Perm.DATA_EXPORT

    def get(self, request: HttpRequest, org: str, kind: str, fmt: str) -> HttpResponse:
        if kind not in KINDS or fmt not in ("csv", "xlsx"):
            raise Http404
        o = self.organisation
        if kind == "partners":
            columns = exchange.partner_columns(o)
            partners = selectors.partner_list(organisation=o).prefetch_related("identifiers")
            rows = exchange.partner_rows(o, partners.iterator(chunk_size=2000))
        else:
            columns = exchange.person_columns(o)
            rows = exchange.person_rows(
                o, exchange.people_for_export(selectors.person_list(organisation=o))
            )
        return table_download(columns, rows, fmt=fmt, name=f"{o.slug}-{kind}", title=kind)


class ImportView(OrgView):
    permission = Perm.DATA_IMPORT

    def get(self, request: HttpRequest, org: str, kind: str) -> HttpResponse:
        if kind not in KINDS:
            raise Http404
        return self.show(kind, ImportForm(), None)

    def show(self, kind: str, form: ImportForm, report: Any, status: int = 200) -> HttpResponse:
        o = self.organisation
        columns = exchange.partner_columns(o) if kind == "partners" else exchange.person_columns(o)
        return render(
            self.request,
            "network/import.html",
            self.context(kind=kind, form=form, report=report, columns=columns),
            status=status,
        )

    def post(self, request: HttpRequest, org: str, kind: str) -> HttpResponse:
        if kind not in KINDS:
            raise Http404
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.show(kind, form, None, status=400)
        upload = form.cleaned_data["file"]
        run = exchange.partners_import if kind == "partners" else exchange.people_import
        report = run(organisation=self.organisation, file=upload, name=upload.name, by=self.user)
        # The report stays on the page: what was created, updated or left unchanged, row by row.
        return self.show(kind, ImportForm(), report, status=200 if report.ok else 400)
