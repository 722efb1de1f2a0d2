"""Pages of bodies, memberships and the presidency."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from secretariat.core import audit, texts
from secretariat.core.forms import apply_errors
from secretariat.core.permissions import Perm
from secretariat.core.views.base import OrgView, paginate, query_without_page
from secretariat.core.views.organisation import audit_context, text_context
from secretariat.governance import feeds, selectors, services
from secretariat.governance.forms import BodyForm, MembershipForm, PresidencyForm
from secretariat.governance.models import Body, BodyKind, Membership, Presidency


class BodyListView(OrgView):
    permission = Perm.BODY_VIEW

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        kind = request.GET.get("kind", "")
        bodies = selectors.body_list(
            organisation=self.organisation, kind=kind if kind in BodyKind.values else ""
        )
        return render(
            request,
            "governance/body_list.html",
            self.context(bodies=bodies, kinds=BodyKind.choices, kind=kind),
        )


class BodyDetailView(OrgView):
    permission = Perm.BODY_VIEW

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        body = get_object_or_404(Body, pk=pk)
        show_all = request.GET.get("all") == "1"
        memberships = selectors.memberships_of(body=body, current_only=not show_all)
        return render(
            request,
            "governance/body_detail.html",
            self.context(
                body=body,
                **text_context(self, body),
                page=paginate(request, memberships),
                query=query_without_page(request),
                show_all=show_all,
                feed=feeds.feed_for_body(body) if self.can(Perm.MEETING_EDIT) else None,
                can_edit=self.can(Perm.BODY_EDIT),
                can_edit_members=self.can(Perm.MEMBERSHIP_EDIT),
                audit_entries=audit_context(body) if self.can(Perm.AUDIT_VIEW) else None,
            ),
        )


class BodyEditView(OrgView):
    permission = Perm.BODY_EDIT

    def show(self, form: BodyForm, body: Body | None, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            "governance/body_form.html",
            self.context(form=form, body=body),
            status=status,
        )

    def load(self, pk: int | None) -> Body | None:
        return get_object_or_404(Body, pk=pk) if pk else None

    def get(self, request: HttpRequest, org: str, pk: int | None = None) -> HttpResponse:
        body = self.load(pk)
        statuses = texts.statuses_of(body) if body else None
        return self.show(
            BodyForm(organisation=self.organisation, instance=body, statuses=statuses), body
        )

    def post(self, request: HttpRequest, org: str, pk: int | None = None) -> HttpResponse:
        body = self.load(pk)
        if body is not None and "delete" in request.POST:
            services.body_delete(body=body, by=self.user)
            messages.success(request, _("The body was deleted."))
            return redirect("body_list", org=org)
        statuses = texts.statuses_of(body) if body else None
        form = BodyForm(
            request.POST, organisation=self.organisation, instance=body, statuses=statuses
        )
        if form.is_valid():
            try:
                if body is None:
                    body = services.body_create(
                        organisation=self.organisation, by=self.user, **form.values()
                    )
                else:
                    services.body_update(body=body, by=self.user, **form.values())
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The body was saved."))
                return redirect("body_detail", org=org, pk=body.pk)
        return self.show(form, body, status=400)


class MembershipEditView(OrgView):
    permission = Perm.BODY_VIEW

    def load(self, body_pk: int, pk: int | None) -> tuple[Body, Membership | None]:
        body = get_object_or_404(Body, pk=body_pk)
        membership = get_object_or_404(body.memberships.all(), pk=pk) if pk else None
        self.require(Perm.MEMBERSHIP_EDIT, membership)
        return body, membership

    def show(
        self, form: MembershipForm, body: Body, membership: Membership | None, status: int = 200
    ) -> HttpResponse:
        return render(
            self.request,
            "governance/membership_form.html",
            self.context(form=form, body=body, membership=membership),
            status=status,
        )

    def get(
        self, request: HttpRequest, org: str, body_pk: int, pk: int | None = None
    ) -> HttpResponse:
        body, membership = self.load(body_pk, pk)
        return self.show(MembershipForm(body=body, instance=membership), body, membership)

    def post(
        self, request: HttpRequest, org: str, body_pk: int, pk: int | None = None
    ) -> HttpResponse:
        body, membership = self.load(body_pk, pk)
        if membership is not None and "delete" in request.POST:
            try:
                services.membership_delete(membership=membership, by=self.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The membership was removed."))
            return redirect("body_detail", org=org, pk=body.pk)
        form = MembershipForm(request.POST, body=body, instance=membership)
        if form.is_valid():
            values: dict[str, Any] = dict(form.cleaned_data)
            try:
                if membership is None:
                    services.membership_create(body=body, by=self.user, **values)
                else:
                    after = Membership(
                        organisation=self.organisation, partner=values.get("partner")
                    )
                    self.require(Perm.MEMBERSHIP_EDIT, after)
                    services.membership_update(membership=membership, by=self.user, **values)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The membership was saved."))
                return redirect("body_detail", org=org, pk=body.pk)
        return self.show(form, body, membership, status=400)


class PresidencyEditView(OrgView):
    permission = Perm.PRESIDENCY_EDIT

    def show(self, form: PresidencyForm, term: Presidency, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            "governance/presidency_form.html",
            self.context(form=form, term=term),
            status=status,
        )

    def load(self, pk: int) -> Presidency:
        return get_object_or_404(Presidency, pk=pk)

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        term = self.load(pk)
        return self.show(PresidencyForm(organisation=self.organisation, instance=term), term)

    def post(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        term = self.load(pk)
        form = PresidencyForm(request.POST, organisation=self.organisation)
        if form.is_valid():
            try:
                services.presidency_update(presidency=term, by=self.user, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The presidency term was saved."))
                return redirect("presidency", org=org)
        return self.show(form, term, status=400)


UNDO_KEY = "presidency_removed"


class PresidencyView(OrgView):
    permission = Perm.BODY_VIEW

    def show(self, form: PresidencyForm, status: int = 200) -> HttpResponse:
        removed = self.request.session.get(UNDO_KEY)
        return render(
            self.request,
            "governance/presidency.html",
            self.context(
                form=form,
                terms=selectors.presidency_list(organisation=self.organisation),
                current=selectors.current_presidency(organisation=self.organisation),
                can_edit=self.can(Perm.PRESIDENCY_EDIT),
                removed=removed
                if removed and removed.get("organisation") == self.organisation.pk
                else None,
                audit_entries=list(
                    audit.entries_for(self.organisation).filter(content_type__model="presidency")[
                        :50
                    ]
                )
                if self.can(Perm.AUDIT_VIEW)
                else None,
            ),
            status=status,
        )

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        return self.show(PresidencyForm(organisation=self.organisation))

    def post(self, request: HttpRequest, org: str) -> HttpResponse:
        self.require(Perm.PRESIDENCY_EDIT)
        if "delete" in request.POST:
            term = get_object_or_404(Presidency, pk=request.POST["delete"])
            if not self.confirmed():
                return self.confirm(
                    question=_("Remove this presidency term?"),
                    consequences=[
                        _("The term of %(partner)s from %(start)s to %(end)s will be removed.")
                        % {
                            "partner": term.partner,
                            "start": formats.date_format(term.start, "DATE_FORMAT"),
                            "end": formats.date_format(term.end, "DATE_FORMAT"),
                        }
                    ],
                    button=_("Remove the term"),
                    back=reverse("presidency", args=[org]),
                    undoable=True,
                )
            # The page then offers to put it back, through the same form as a new term.
            request.session[UNDO_KEY] = {
                "organisation": self.organisation.pk,
                "partner": term.partner_id,
                "president": term.president_id or "",
                "start": term.start.isoformat(),
                "end": term.end.isoformat(),
                "label": str(term),
            }
            services.presidency_delete(presidency=term, by=self.user)
            messages.success(request, _("The presidency term was removed."))
            return redirect("presidency", org=org)
        form = PresidencyForm(request.POST, organisation=self.organisation)
        if form.is_valid():
            try:
                services.presidency_create(
                    organisation=self.organisation, by=self.user, **form.cleaned_data
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                request.session.pop(UNDO_KEY, None)
                messages.success(request, _("The presidency term was added."))
                return redirect("presidency", org=org)
        return self.show(form, status=400)
