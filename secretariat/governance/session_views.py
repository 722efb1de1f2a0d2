"""On the day (sign-in list, arrivals and departures, live quorum, votes), the register of
decisions and the follow-up of actions."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secretariat.core import audit
from secretariat.core.forms import DateField, TextField, TranslatableFormMixin, apply_errors
from secretariat.core.permissions import Perm
from secretariat.core.row_ids import parse_id, parse_year
from secretariat.core.views.base import OrgView, paginate, query_without_page
from secretariat.governance import agenda, attendance, body_rules, decisions, selectors
from secretariat.governance.models import (
    ActionStatus,
    Body,
    Decision,
    DecisionStatus,
    FollowUpAction,
    Meeting,
    Vote,
)
from secretariat.network.models import Partner, Person


class SessionView(OrgView):
    """The secretary's screen during the meeting."""

    permission = Perm.MEETING_VIEW

    def meeting(self, pk: int) -> Meeting:
        return get_object_or_404(Meeting.objects.select_related("body"), pk=pk)

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        meeting = self.meeting(pk)
        items = agenda.ordered(meeting.items.all())
        numbers = agenda.numbering(items)
        current_id = request.GET.get("item")
        current = next((i for i in items if str(i.pk) == current_id), None)
        presence = decisions.presence_at(meeting, current)
        invitations = list(
            meeting.invitations.select_related("person", "membership__partner", "proxy_to__person")
        )
        # The votes of closed items are read as their decisions are: not by members.
        readable = {i.pk for i in items if self.can(Perm.DECISION_VIEW, i)}
        votes = {
            v.item_id: v for v in Vote.objects.filter(item__meeting=meeting, item__in=readable)
        }
        return render(
            request,
            "governance/session.html",
            self.context(
                meeting=meeting,
                items=[
                    {
                        "item": i,
                        "number": numbers[i.pk],
                        "vote": votes.get(i.pk),
                        "votable": i.kind in decisions.VOTABLE,
                    }
                    for i in items
                ],
                current=current,
                invitations=invitations,
                present=presence.present,
                represented=presence.represented(),
                # A body without voting members has no quorum to show.
                quorum=decisions.quorum_at(meeting, current)
                if attendance.seats_of(meeting)
                else None,
                block_vote=body_rules.rules_of(meeting.body).delegation_block_vote,
                can_edit=self.can(Perm.MEETING_EDIT),
                delegations=sorted(
                    {
                        i.membership.partner
                        for i in invitations
                        if i.membership and i.membership.partner
                    },
                    key=lambda p: p.pk,
                ),
            ),
        )

    def post(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        self.require(Perm.MEETING_EDIT)
        meeting = self.meeting(pk)
        item = None
        if (item_id := parse_id(request.POST.get("item", ""))) is not None:
            item = get_object_or_404(meeting.items.all(), pk=item_id)
        action = request.POST.get("action")
        try:
            if action in ("arrive", "leave"):
                invitation = get_object_or_404(
                    meeting.invitations.all(), pk=request.POST.get("invitation")
                )
                if action == "arrive":
                    decisions.invitation_arrive(invitation=invitation, by=self.user, item=item)
                else:
                    decisions.invitation_leave(invitation=invitation, by=self.user, item=item)
            elif action == "vote" and item is not None:
                counted: dict[str, Any] = {
                    "confirm_incomplete": request.POST.get("confirm_incomplete") == "on"
                }
                if request.POST.get("method") == "delegations":
                    counted["delegation_ballots"] = _choices(request.POST, "delegation_")
                elif request.POST.get("method") == "roll_call":
                    counted["ballots"] = _choices(request.POST, "ballot_")
                else:
                    counted.update(
                        {name: request.POST.get(name) for name in ("yes", "no", "abstain")}
                    )
                if request.POST.get("correct"):
                    vote = decisions.vote_correct(
                        item=item, by=self.user, reason=request.POST.get("reason", ""), **counted
                    )
                else:
                    vote = decisions.vote_record(item=item, by=self.user, **counted)
                messages.success(request, vote.reason)
            elif (
                action in (DecisionStatus.POSTPONED, DecisionStatus.WITHDRAWN) and item is not None
            ):
                decision = decisions.item_set_status(item=item, status=action, by=self.user)
                messages.success(
                    request, _("Registered as %(number)s.") % {"number": decision.number}
                )
            elif action == "minutes" and item is not None:
                agenda.item_update(
                    item=item,
                    by=self.user,
                    minutes={
                        lang: request.POST.get(f"minutes__{lang}", "")
                        for lang in self.organisation.languages
                    },
                )
                messages.success(request, _("The minutes of the item were saved."))
            else:
                messages.error(request, _("Unknown action."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        target = f"?item={item.pk}" if item else ""
        return redirect(request.path + target)


def _choices(data: Any, prefix: str) -> dict[int, str]:
    """``{id: choice}`` from radio buttons named ``<prefix><id>``."""
    chosen = {}
    for key in data:
        row = parse_id(key.removeprefix(prefix)) if key.startswith(prefix) else None
        if row is not None and data.get(key):
            chosen[row] = str(data.get(key))
    return chosen


class RegisterView(OrgView):
    """The register of decisions of the organisation, or of one body."""

    permission = Perm.MEETING_VIEW

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        status = request.GET.get("status", "")
        found = selectors.decision_list(
            reader=self.access,
            body=parse_id(request.GET.get("body", "")),
            year=parse_year(request.GET.get("year", "")),
            status=status if status in DecisionStatus.values else None,
        )
        return render(
            request,
            "governance/register.html",
            self.context(
                page=paginate(request, found),
                query=query_without_page(request),
                bodies=Body.objects.all(),
                statuses=DecisionStatus.choices,
            ),
        )


class ActionForm(TranslatableFormMixin, forms.Form):
    translatable = {"title": {"label": gettext_lazy("Action"), "required": True, "max_length": 500}}
    owner_person = forms.ModelChoiceField(
        label=gettext_lazy("Owner"), queryset=Person.objects.none(), required=False
    )
    owner_partner = forms.ModelChoiceField(
        label=gettext_lazy("Owning partner"), queryset=Partner.objects.none(), required=False
    )
    due = DateField(label=gettext_lazy("Due on"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=ActionStatus.choices)
    progress = forms.IntegerField(
        label=gettext_lazy("Progress (%)"), min_value=0, max_value=100, initial=0
    )
    note = TextField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: Any, organisation: Any, instance: FollowUpAction | None = None, **kwargs: Any
    ) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "owner_person": instance.owner_person_id,
                "owner_partner": instance.owner_partner_id,
                "due": instance.due,
                "status": instance.status,
                "progress": instance.progress,
                "note": instance.note,
            }
        super().__init__(*args, **kwargs)
        person_field = self.fields["owner_person"]
        partner_field = self.fields["owner_partner"]
        assert isinstance(person_field, forms.ModelChoiceField) and isinstance(
            partner_field, forms.ModelChoiceField
        )
        person_field.queryset = Person.objects.order_by("family_name")
        partner_field.queryset = Partner.objects.all()
        self.setup_translatable(organisation, instance)

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if "__" not in k} | self.texts()


class DecisionView(OrgView):
    permission = Perm.MEETING_VIEW

    def load(self, pk: int) -> Decision:
        decision = get_object_or_404(
            Decision.objects.select_related("body", "meeting"),
            pk=pk,
        )
        self.require(Perm.DECISION_VIEW, decision)
        return decision

    def show(self, decision: Decision, form: ActionForm, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            "governance/decision.html",
            self.context(
                decision=decision,
                actions=decision.actions.select_related("owner_person", "owner_partner"),
                form=form,
                can_edit=self.can(Perm.MEETING_EDIT),
                audit_entries=list(audit.entries_for(decision)[:50])
                if self.can(Perm.AUDIT_VIEW)
                else None,
            ),
            status=status,
        )

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        return self.show(self.load(pk), ActionForm(organisation=self.organisation))

    def post(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        self.require(Perm.MEETING_EDIT)
        decision = self.load(pk)
        form = ActionForm(request.POST, organisation=self.organisation)
        if form.is_valid():
            try:
                decisions.action_create(decision=decision, by=self.user, **form.values())
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The action was added."))
                return redirect("decision_detail", org=org, pk=pk)
        return self.show(decision, form, status=400)


class ActionEditView(OrgView):
    permission = Perm.MEETING_VIEW

    def load(self, pk: int) -> FollowUpAction:
        action = get_object_or_404(
            FollowUpAction.objects.select_related("decision"),
            pk=pk,
        )
        self.require(Perm.ACTION_EDIT, action)
        return action

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        action = self.load(pk)
        return render(
            request,
            "governance/action_form.html",
            self.context(
                action=action, form=ActionForm(organisation=self.organisation, instance=action)
            ),
        )

    def post(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        action = self.load(pk)
        form = ActionForm(request.POST, organisation=self.organisation, instance=action)
        if form.is_valid():
            try:
                decisions.action_update(action=action, by=self.user, **form.values())
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The action was saved."))
                return redirect("decision_detail", org=org, pk=action.decision_id)
        return render(
            request,
            "governance/action_form.html",
            self.context(action=action, form=form),
            status=400,
        )


class FollowUpView(OrgView):
    """Open actions, per body or per partner, the overdue ones first."""

    permission = Perm.MEETING_VIEW

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        actions = selectors.action_list(
            reader=self.access,
            body=parse_id(request.GET.get("body", "")),
            partner=parse_id(request.GET.get("partner", "")),
            open_only=request.GET.get("all") != "1",
        )
        return render(
            request,
            "governance/follow_up.html",
            self.context(
                page=paginate(request, actions),
                query=query_without_page(request),
                today=timezone.localdate(),
                bodies=Body.objects.all(),
                partners=Partner.objects.all(),
            ),
        )
