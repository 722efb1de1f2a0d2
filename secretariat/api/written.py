"""The API of written procedures: launch, the members' answers, close and register."""

import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from secretariat.api.common import _access, _user
from secretariat.api.schemas import Moment, RowId
from secretariat.api.texts import text_maps
from secretariat.core import permissions
from secretariat.core.access import Access
from secretariat.core.permissions import Perm
from secretariat.governance import rules, written
from secretariat.governance.models import Body, WrittenProcedure

router = Router(tags=["written procedures"])


class WrittenAnswerOut(Schema):
    id: int
    person_id: int
    language: str
    choice: Literal["", "yes", "no", "abstain"] = Field(
        description="yes: agrees; no: objects; abstain; empty: no answer yet."
    )
    answered_at: datetime.datetime | None
    sent_at: datetime.datetime | None
    reminded_at: datetime.datetime | None
    outcome_sent_at: datetime.datetime | None


class ProcedureOut(Schema):
    id: int
    body_id: int
    kind: Literal["silence", "vote"] = Field(
        description="silence: adopted unless a member objects; vote: the body's majority among "
        "the members who answer."
    )
    title: dict[str, Any]
    draft_decision: dict[str, Any]
    deadline: datetime.datetime
    deadline_override_reason: str
    state: Literal["open", "closed", "cancelled"]
    waits_to_be_registered: bool
    closed_at: datetime.datetime | None
    outcome: str = Field(description="The outcome and its reasoning, in the request's language.")
    adopted: bool | None
    decision_id: int | None
    decision_number: str | None
    answers: list[WrittenAnswerOut]


def _out(procedures: list[WrittenProcedure], languages: list[str]) -> list[dict[str, Any]]:
    texts = text_maps(procedures, languages)
    return [
        {
            "id": p.pk,
            "body_id": p.body_id,
            "kind": p.kind,
            **texts[p.pk],
            "deadline": p.deadline,
            "deadline_override_reason": p.deadline_override_reason,
            "state": p.state,
            "waits_to_be_registered": written.waits_to_be_registered(p),
            "closed_at": p.closed_at,
            "outcome": rules.reason_or(p.outcome_data, p.outcome),
            "adopted": p.outcome_data.get("adopted") if p.outcome_data else None,
            "decision_id": p.decision_id,
            "decision_number": p.decision.number if p.decision else None,
            "answers": list(p.answers.all()),
        }
        for p in procedures
    ]


def _procedure(access: Access, pk: int) -> WrittenProcedure:
    return get_object_or_404(
        WrittenProcedure.objects.select_related("decision").prefetch_related("answers"),
        pk=pk,
    )


@router.get("/{slug}/written-procedures", response=list[ProcedureOut])
def procedure_list(request: HttpRequest, slug: str, body: RowId | None = None) -> Any:
    access = _access(request, slug, Perm.MEETING_VIEW)
    found = (
        WrittenProcedure.objects.all()
        .select_related("decision")
        .prefetch_related("answers")
        .order_by("-created_at")
    )
    if body is not None:
        found = found.filter(body_id=body)
    return _out(list(found[:200]), access.organisation.languages)


@router.get("/{slug}/written-procedures/{pk}", response=ProcedureOut)
def procedure_get(request: HttpRequest, slug: str, pk: int) -> Any:
    access = _access(request, slug, Perm.MEETING_VIEW)
    return _out([_procedure(access, pk)], access.organisation.languages)[0]


class ProcedureIn(Schema):
    body_id: RowId
    title: dict[str, str]
    draft_decision: dict[str, str]
    deadline: Moment = Field(
        description="At least the body's days to answer after today (written_days)."
    )
    override_reason: str = Field(
        "",
        description="Administrators only: why the deadline is shorter than the body's rules.",
    )


@router.post("/{slug}/written-procedures", response={201: ProcedureOut})
def procedure_launch(request: HttpRequest, slug: str, payload: ProcedureIn) -> Any:
    access = _access(request, slug, Perm.MEETING_EDIT)
    body = get_object_or_404(Body, pk=payload.body_id)
    procedure = written.procedure_launch(
        body=body,
        by=_user(request),
        title=payload.title,
        draft_decision=payload.draft_decision,
        deadline=payload.deadline,
        may_override=permissions.can(access, Perm.NOTICE_OVERRIDE),
        override_reason=payload.override_reason,
    )
    return Status(201, _out([_procedure(access, procedure.pk)], access.organisation.languages)[0])


class WrittenAnswerIn(Schema):
    choice: Literal["yes", "no", "abstain"] = Field(description="yes: agrees; no: objects.")


@router.post("/{slug}/written-procedures/{pk}/answers/{answer_pk}", response=WrittenAnswerOut)
def procedure_answer(
    request: HttpRequest, slug: str, pk: int, answer_pk: int, payload: WrittenAnswerIn
) -> Any:
    """Record a member's answer received by letter or e-mail (members answer themselves
    through the personal link of their message)."""
    access = _access(request, slug, Perm.MEETING_EDIT)
    procedure = _procedure(access, pk)
    answer = get_object_or_404(procedure.answers.all(), pk=answer_pk)
    return written.procedure_answer(answer=answer, choice=payload.choice, by=_user(request))


@router.post("/{slug}/written-procedures/{pk}/close", response=ProcedureOut)
def procedure_close(request: HttpRequest, slug: str, pk: int) -> Any:
    """Count the answers: once the deadline has passed, or every member has answered."""
    access = _access(request, slug, Perm.MEETING_EDIT)
    procedure = written.procedure_close(
        procedure=_procedure(access, pk), by=_user(request), now=timezone.now()
    )
    return _out([_procedure(access, procedure.pk)], access.organisation.languages)[0]


class WithdrawIn(Schema):
    reason: str = Field(description="Why the procedure is withdrawn (kept in the history).")


@router.post("/{slug}/written-procedures/{pk}/withdraw", response=ProcedureOut)
def procedure_withdraw(request: HttpRequest, slug: str, pk: int, payload: WithdrawIn) -> Any:
    """Withdraw an open procedure: nothing is decided; the members it reached are told."""
    access = _access(request, slug, Perm.MEETING_EDIT)
    written.procedure_withdraw(
        procedure=_procedure(access, pk), by=_user(request), reason=payload.reason
    )
    return _out([_procedure(access, pk)], access.organisation.languages)[0]


@router.post("/{slug}/written-procedures/{pk}/register", response=ProcedureOut)
def procedure_register(request: HttpRequest, slug: str, pk: int) -> Any:
    """Enter a closed procedure's outcome in the register of decisions."""
    access = _access(request, slug, Perm.MEETING_EDIT)
    written.procedure_register(procedure=_procedure(access, pk), by=_user(request))
    return _out([_procedure(access, pk)], access.organisation.languages)[0]
