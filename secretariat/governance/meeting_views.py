"""Pages of meetings: planning with the date finder, the agenda, convening, answers, letters."""

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from secretariat.core import audit, text_notes, texts
from secretariat.core.forms import apply_errors
from secretariat.core.permissions import Perm
from secretariat.core.row_ids import parse_id
from secretariat.core.views.base import OrgView, is_htmx, paginate, query_without_page
from secretariat.core.views.organisation import text_context
from secretariat.governance import (
    agenda,
    announcements,
    attendance,
    body_rules,
    convocation,
    dossier,
    rules,
    scheduling,
    selectors,
)
from secretariat.governance.meeting_forms import (
    ConveneForm,
    DateFinderForm,
    ItemForm,
    MeetingForm,
    RulesForm,
)
from secretariat.governance.models import (
    AgendaItem,
    Body,
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    Meeting,
    MeetingState,
)


class MeetingListView(OrgView):
    permission = Perm.MEETING_VIEW

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        upcoming = request.GET.get("when") != "past"
        meetings = selectors.meeting_list(
            body=parse_id(request.GET.get("body", "")), when="upcoming" if upcoming else "past"
        )
        return render(
            request,
            "governance/meeting_list.html",
            self.context(
                page=paginate(request, meetings),
                query=query_without_page(request),
                upcoming=upcoming,
                bodies=Body.objects.all(),
            ),
        )


class MeetingEditView(OrgView):
    permission = Perm.MEETING_EDIT

    def load(self, body_pk: int | None, pk: int | None) -> tuple[Body, Meeting | None]:
        if pk is not None:
            meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
            return meeting.body, meeting
        return get_object_or_404(Body, pk=body_pk), None

    def show(
        self, form: MeetingForm, body: Body, meeting: Meeting | None, status: int = 200
    ) -> HttpResponse:
        return render(
            self.request,
            "governance/meeting_form.html",
            self.context(
                form=form,
                body=body,
                meeting=meeting,
                finder=DateFinderForm(initial=_finder_initial()),
            ),
            status=status,
        )

    def get(
        self, request: HttpRequest, org: str, body_pk: int | None = None, pk: int | None = None
    ) -> HttpResponse:
        body, meeting = self.load(body_pk, pk)
        statuses = texts.statuses_of(meeting) if meeting else None
        return self.show(
            MeetingForm(organisation=self.organisation, instance=meeting, statuses=statuses),
            body,
            meeting,
        )

    def post(
        self, request: HttpRequest, org: str, body_pk: int | None = None, pk: int | None = None
    ) -> HttpResponse:
        body, meeting = self.load(body_pk, pk)
        form = MeetingForm(request.POST, organisation=self.organisation, instance=meeting)
        if form.is_valid():
            try:
                if meeting is None:
                    meeting = agenda.meeting_plan(body=body, by=self.user, **form.values())
                else:
                    agenda.meeting_update(meeting=meeting, by=self.user, **form.values())
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The meeting was saved."))
                return redirect("meeting_detail", org=org, pk=meeting.pk)
        return self.show(form, body, meeting, status=400)


def _finder_initial() -> dict[str, datetime.date]:
    today = timezone.localdate()
    return {
        "start": today + datetime.timedelta(days=21),
        "end": today + datetime.timedelta(days=49),
    }


class DateFinderView(OrgView):
    """Candidate dates for a body's meeting (an HTMX fragment of the planning page)."""

    permission = Perm.MEETING_EDIT

    def get(self, request: HttpRequest, org: str, body_pk: int) -> HttpResponse:
        body = get_object_or_404(Body, pk=body_pk)
        form = DateFinderForm(request.GET or None, initial=_finder_initial())
        days: list[datetime.date] = []
        if form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
            if end < start or (end - start).days > 120:
                form.add_error("end", _("Choose a period of at most 120 days."))
            else:
                days = [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]
        candidates = scheduling.candidates(
            body=body, days=days, language=(get_language() or "en")[:2]
        )
        return render(
            request,
            "governance/partials/date_finder.html",
            self.context(body=body, candidates=candidates, finder=form),
        )


class MeetingDetailView(OrgView):
    permission = Perm.MEETING_VIEW

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
        return render(
            request,
            "governance/meeting_detail.html",
            self.context(**meeting_context(self, meeting)),
        )

    def post(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
        action = request.POST.get("action", "")
        try:
            if action == "convene":
                self.require(Perm.MEETING_CONVENE)
                form = ConveneForm(request.POST)
                form.is_valid()
                queued = convocation.meeting_convene(
                    meeting=meeting,
                    by=self.user,
                    may_override=self.can(Perm.NOTICE_OVERRIDE),
                    override_reason=form.cleaned_data.get("override_reason", ""),
                )
                messages.success(
                    request,
                    ngettext(
                        "The convocation is being sent to %(count)s member.",
                        "The convocation is being sent to %(count)s members.",
                        queued,
                    )
                    % {"count": queued},
                )
            elif action == "announce":
                self.require(Perm.MEETING_CONVENE)
                if not self.confirmed():
                    return self.confirm_announce(meeting)
                queued = convocation.meeting_announce(meeting=meeting, by=self.user)
                messages.success(
                    request,
                    ngettext(
                        "The changes are being sent to %(count)s member.",
                        "The changes are being sent to %(count)s members.",
                        queued,
                    )
                    % {"count": queued},
                )
            elif action == "remind":
                self.require(Perm.MEETING_CONVENE)
                queued = convocation.remind_unanswered(meeting=meeting, by=self.user)
                messages.success(
                    request,
                    ngettext(
                        "A reminder is being sent to %(count)s member.",
                        "A reminder is being sent to %(count)s members.",
                        queued,
                    )
                    % {"count": queued},
                )
            elif action == "retry":
                self.require(Perm.MEETING_CONVENE)
                convocation.deliveries_retry(meeting=meeting, by=self.user)
                messages.success(request, _("The failed messages will be sent again."))
            elif action in (
                MeetingState.CANCELLED,
                MeetingState.POSTPONED,
                MeetingState.HELD,
                MeetingState.PLANNED,
            ):
                self.require(Perm.MEETING_EDIT)
                if (
                    action in (MeetingState.CANCELLED, MeetingState.POSTPONED)
                    and not self.confirmed()
                ):
                    return self.confirm_state(meeting, action)
                convocation.meeting_set_state(meeting=meeting, state=action, by=self.user)
                messages.success(
                    request,
                    _("The meeting is now %(state)s.") % {"state": meeting.get_state_display()},
                )
            elif action == "answer":
                self.require(Perm.MEETING_EDIT)
                invitation = get_object_or_404(
                    meeting.invitations.all(), pk=request.POST.get("invitation")
                )
                holder = request.POST.get("proxy_to", "")
                attendance.invitation_answer(
                    invitation=invitation,
                    answer=request.POST.get("answer", ""),
                    proxy_to=meeting.invitations.filter(pk=holder_id).first()
                    if (holder_id := parse_id(holder)) is not None
                    else None,
                    by=self.user,
                )
                messages.success(request, _("The answer was recorded."))
            elif action in ("up", "down"):
                self.require(Perm.MEETING_EDIT)
                item = meeting.items.filter(pk=parse_id(request.POST.get("item", "")) or 0).first()
                if item is None:
                    raise ValidationError(_("This item is not on the agenda."))
                agenda.item_move(
                    item=item, direction="up" if action == "up" else "down", by=self.user
                )
                if is_htmx(request):
                    return render(
                        request,
                        "governance/partials/agenda.html",
                        self.context(**meeting_context(self, meeting)),
                    )
            else:
                messages.error(request, _("Unknown action."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            if is_htmx(request):
                return render(
                    request,
                    "governance/partials/agenda.html",
                    self.context(**meeting_context(self, meeting)),
                    status=400,
                )
        return redirect("meeting_detail", org=org, pk=pk)

    def confirm_announce(self, meeting: Meeting) -> HttpResponse:
        changes = convocation.pending_changes(meeting)
        if not changes:
            messages.error(
                self.request,
                _(
                    "Nothing visible to the members has changed since the last message sent to them: nothing was sent."
                ),
            )
            return redirect("meeting_detail", org=self.organisation.slug, pk=meeting.pk)
        organisation = self.organisation
        language = (get_language() or organisation.default_language)[:2]
        return self.confirm(
            question=_("Send these changes to the members?"),
            consequences=announcements.change_lines(
                changes, language, organisation.languages, organisation.default_language
            ),
            button=_("Send the changes"),
            back=reverse("meeting_detail", args=[organisation.slug, meeting.pk]),
            undoable=False,
            previews=convocation.preview(meeting, DeliveryKind.UPDATE),
        )

    def confirm_state(self, meeting: Meeting, state: str) -> HttpResponse:
        convened = meeting.invitations.count() if meeting.convened_at else 0
        consequences = []
        if convened:
            consequences.append(
                ngettext(
                    "The member convened will be told at once, and the meeting will be removed "
                    "from their calendar.",
                    "The %(count)s members convened will be told at once, and the meeting will "
                    "be removed from their calendars.",
                    convened,
                )
                % {"count": convened}
            )
        if state == MeetingState.POSTPONED:
            question = _("Postpone this meeting?")
            consequences.append(
                _("The meeting keeps its agenda; plan it again when its new date is known.")
            )
            button = _("Postpone the meeting")
        else:
            question = _("Cancel this meeting?")
            consequences.append(
                _("The meeting and its agenda will stay in the history, cancelled.")
            )
            button = _("Cancel the meeting")
        previews = []
        if convened:
            previews = convocation.preview(meeting, DeliveryKind.CANCELLATION)
        return self.confirm(
            question=question,
            consequences=consequences,
            button=button,
            back=reverse("meeting_detail", args=[self.organisation.slug, meeting.pk]),
            undoable=state == MeetingState.POSTPONED,
            previews=previews,
        )


def meeting_context(view: OrgView, meeting: Meeting) -> dict[str, Any]:
    items = agenda.ordered(meeting.items.select_related("rapporteur"))
    numbers = agenda.numbering(items)
    invitations = list(
        meeting.invitations.select_related("person", "proxy_to__person", "membership__partner")
    )
    sending = Delivery.objects.filter(invitation__meeting=meeting)
    failed = sending.filter(status=DeliveryStatus.FAILED).count()
    queued = sending.filter(status=DeliveryStatus.QUEUED).exists()
    deliveries = selectors.delivery_list(reader=view.access, meeting=meeting)[:300]
    stored = body_rules.rules_of(meeting.body)
    quorum = None
    seats = attendance.seats_of(meeting) if invitations else []
    if seats:  # a body without voting members has no quorum
        quorum = rules.quorum(
            body_rules.quorum_rule(stored),
            seats,
            attendance.presence_of(meeting, expected=True),
        )
    # The readers' notes of machine-made or outdated versions, for all items in two queries.
    text_notes.attach([meeting, *items], (get_language() or "en")[:2])
    return {
        "meeting": meeting,
        "local_start": meeting.local_start,
        "items": [{"item": i, "number": numbers[i.pk]} for i in items],
        "invitations": invitations,
        "deliveries": deliveries,
        "can_see_deliveries": view.can(Perm.DELIVERY_VIEW),
        "problems": convocation.convocation_problems(meeting)
        if meeting.state == MeetingState.PLANNED
        else [],
        "notice": convocation.notice_of(meeting),
        "pending_changes": announcements.change_lines(
            convocation.pending_changes(meeting),
            (get_language() or meeting.organisation.default_language)[:2],
            meeting.organisation.languages,
            meeting.organisation.default_language,
        ),
        "rules": stored,
        "expected_quorum": quorum,
        "convene_form": ConveneForm(),
        "can_edit": view.can(Perm.MEETING_EDIT),
        "can_convene": view.can(Perm.MEETING_CONVENE),
        "can_override": view.can(Perm.NOTICE_OVERRIDE),
        "queued": queued,
        "failed": failed,
        "audit_entries": list(audit.entries_for(meeting)[:50])
        if view.can(Perm.AUDIT_VIEW)
        else None,
        "document_kinds": [(kind.code, kind.label) for kind in dossier.DOCUMENT_KINDS],
        "options": attendance.answer_options(meeting) if meeting.state == "convened" else {},
    }


class ItemEditView(OrgView):
    permission = Perm.MEETING_EDIT

    def load(self, meeting_pk: int, pk: int | None) -> tuple[Meeting, AgendaItem | None]:
        meeting = get_object_or_404(Meeting, pk=meeting_pk)
        item = get_object_or_404(meeting.items.all(), pk=pk) if pk else None
        return meeting, item

    def show(
        self, form: ItemForm, meeting: Meeting, item: AgendaItem | None, status: int = 200
    ) -> HttpResponse:
        extra = text_context(self, item) if item else {}
        return render(
            self.request,
            "governance/item_form.html",
            self.context(form=form, meeting=meeting, item=item, **extra),
            status=status,
        )

    def get(
        self, request: HttpRequest, org: str, meeting_pk: int, pk: int | None = None
    ) -> HttpResponse:
        meeting, item = self.load(meeting_pk, pk)
        statuses = texts.statuses_of(item) if item else None
        return self.show(
            ItemForm(organisation=self.organisation, instance=item, statuses=statuses),
            meeting,
            item,
        )

    def post(
        self, request: HttpRequest, org: str, meeting_pk: int, pk: int | None = None
    ) -> HttpResponse:
        meeting, item = self.load(meeting_pk, pk)
        if item is not None and "delete" in request.POST:
            if not self.confirmed():
                return self.confirm_delete(meeting, item)
            try:
                agenda.item_delete(item=item, by=self.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The item was removed from the agenda."))
            return redirect("meeting_detail", org=org, pk=meeting.pk)
        form = ItemForm(request.POST, organisation=self.organisation, instance=item)
        if form.is_valid():
            parent = None
            parent_id = request.POST.get("parent")
            if item is None and parent_id and parent_id.isdigit():
                parent = meeting.items.filter(pk=int(parent_id)).first()
            try:
                if item is None:
                    agenda.item_add(meeting=meeting, by=self.user, parent=parent, **form.values())
                else:
                    agenda.item_update(item=item, by=self.user, **form.values())
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The agenda item was saved."))
                return redirect("meeting_detail", org=org, pk=meeting.pk)
        return self.show(form, meeting, item, status=400)

    def confirm_delete(self, meeting: Meeting, item: AgendaItem) -> HttpResponse:
        number = agenda.numbering(meeting.items.all())[item.pk]
        consequences = [
            _(
                "Item %(number)s, “%(title)s”, will be removed from the agenda, with its texts in every language."
            )
            % {"number": number, "title": str(item)}
        ]
        children = item.children.count()
        if children:
            consequences.append(
                ngettext(
                    "Its sub-item will be removed too.",
                    "Its %(count)s sub-items will be removed too.",
                    children,
                )
                % {"count": children}
            )
        documents = item.documents.count()
        if documents:
            consequences.append(
                ngettext(
                    "Its document will be deleted, with its files.",
                    "Its %(count)s documents will be deleted, with their files.",
                    documents,
                )
                % {"count": documents}
            )
        if meeting.convened_at:
            consequences.append(
                _("The members will learn of it when you send them the changes of the meeting.")
            )
        return self.confirm(
            question=_("Remove this item from the agenda?"),
            consequences=consequences,
            button=_("Remove from the agenda"),
            back=reverse("item_edit", args=[self.organisation.slug, meeting.pk, item.pk]),
            undoable=False,
        )


class ItemDocumentsView(OrgView):
    """Attach a document with a file per language to an item, or remove one."""

    permission = Perm.MEETING_EDIT

    def post(self, request: HttpRequest, org: str, meeting_pk: int, pk: int) -> HttpResponse:
        from secretariat.governance import item_documents

        meeting = get_object_or_404(Meeting, pk=meeting_pk)
        item = get_object_or_404(meeting.items.all(), pk=pk)
        try:
            if "delete" in request.POST:
                document = get_object_or_404(item.documents.all(), pk=request.POST["delete"])
                item_documents.document_delete(document=document, by=self.user)
            else:
                item_documents.document_add(
                    item=item,
                    by=self.user,
                    title={
                        lang: request.POST.get(f"doc_title__{lang}", "")
                        for lang in self.organisation.languages
                    },
                    files={
                        lang: request.FILES.get(f"doc_file__{lang}")
                        for lang in self.organisation.languages
                    },
                )
                messages.success(request, _("The document was attached."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect("item_edit", org=org, meeting_pk=meeting.pk, pk=item.pk)


class DocumentFileView(OrgView):
    permission = Perm.MEETING_VIEW

    def get(self, request: HttpRequest, org: str, pk: int) -> Any:
        from secretariat.governance import item_documents
        from secretariat.governance.models import DocumentFile

        stored = get_object_or_404(DocumentFile, pk=pk)
        return item_documents.serve(stored)


class RulesView(OrgView):
    permission = Perm.BODY_VIEW

    def get(self, request: HttpRequest, org: str, body_pk: int) -> HttpResponse:
        body = get_object_or_404(Body, pk=body_pk)
        return render(
            request,
            "governance/rules.html",
            self.context(
                body=body,
                form=RulesForm(rules=body_rules.rules_of(body)),
                can_edit=self.can(Perm.BODY_EDIT),
            ),
        )

    def post(self, request: HttpRequest, org: str, body_pk: int) -> HttpResponse:
        self.require(Perm.BODY_EDIT)
        body = get_object_or_404(Body, pk=body_pk)
        form = RulesForm(request.POST, rules=body_rules.rules_of(body))
        if form.is_valid():
            try:
                body_rules.body_rules_update(body=body, by=self.user, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The rules of the body were saved."))
                return redirect("body_detail", org=org, pk=body.pk)
        return render(
            request,
            "governance/rules.html",
            self.context(body=body, form=form, can_edit=True),
            status=400,
        )


class LettersView(OrgView):
    """Printable convocation letters for the members without an e-mail address."""

    permission = Perm.MEETING_CONVENE

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        meeting = get_object_or_404(Meeting, pk=pk)
        letters = []
        from django.utils import translation

        for delivery in Delivery.objects.filter(
            invitation__meeting=meeting, status="no_address"
        ).select_related("invitation__person"):
            delivery.address = ""
            message = convocation.render(delivery)
            with translation.override(delivery.invitation.language):
                letters.append(
                    {
                        "language": delivery.invitation.language,
                        "subject": message.subject,
                        "body": message.body,
                        "person": delivery.invitation.person,
                    }
                )
        return render(
            request, "governance/letters.html", self.context(meeting=meeting, letters=letters)
        )
