"""Pages of written procedures: launching, following the answers, closing; and the member's
answer page reached through their personal link."""

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from secretariat.core import audit
from secretariat.core.forms import DateTimeField, TextField, TranslatableFormMixin, apply_errors
from secretariat.core.permissions import Perm
from secretariat.core.reader import reading
from secretariat.core.scope import scoped_by
from secretariat.core.views.base import OrgView
from secretariat.governance import body_rules, personal_links, written
from secretariat.governance.models import Body, WrittenAnswer, WrittenProcedure


class ProcedureForm(TranslatableFormMixin, forms.Form):
    translatable = {
        "title": {"label": gettext_lazy("Title"), "required": True, "max_length": 300},
        "draft_decision": {
            "label": gettext_lazy("Draft decision"),
            "textarea": True,
            "required": True,
        },
    }
    deadline = DateTimeField(label=gettext_lazy("Answers by"))
    override_reason = TextField(
        label=gettext_lazy("Reason for a deadline shorter than the body's rules"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Administrators only; the reason is kept with the procedure."),
    )

    def __init__(self, *args: Any, organisation: Any, may_override: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_override:
            del self.fields["override_reason"]
        self.setup_translatable(organisation)


class ProceduresView(OrgView):
    permission = Perm.MEETING_VIEW

    def body(self, pk: int) -> Body:
        return get_object_or_404(Body, pk=pk)

    def form(self, data: Any = None, **kwargs: Any) -> ProcedureForm:
        return ProcedureForm(
            data,
            organisation=self.organisation,
            may_override=self.can(Perm.NOTICE_OVERRIDE),
            **kwargs,
        )

    def show(self, body: Body, form: ProcedureForm, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            "governance/written_list.html",
            self.context(
                body=body,
                form=form,
                procedures=body.written_procedures.select_related("decision"),
                rules=body_rules.rules_of(body),
                can_edit=self.can(Perm.MEETING_EDIT),
                now=timezone.now(),
            ),
            status=status,
        )

    def get(self, request: HttpRequest, org: str, body_pk: int) -> HttpResponse:
        body = self.body(body_pk)
        earliest = written.earliest_deadline(body, timezone.now())
        deadline = datetime.datetime.combine(earliest, datetime.time(18, 0))
        return self.show(body, self.form(initial={"deadline": deadline}))

    def post(self, request: HttpRequest, org: str, body_pk: int) -> HttpResponse:
        self.require(Perm.MEETING_EDIT)
        body = self.body(body_pk)
        form = self.form(request.POST)
        if form.is_valid():
            tz = self.organisation.tzinfo
            values = form.texts()
            try:
                procedure = written.procedure_launch(
                    body=body,
                    by=self.user,
                    deadline=form.cleaned_data["deadline"].replace(tzinfo=None).replace(tzinfo=tz),
                    title=values["title"],
                    draft_decision=values["draft_decision"],
                    may_override=self.can(Perm.NOTICE_OVERRIDE),
                    override_reason=form.cleaned_data.get("override_reason", ""),
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                count = procedure.answers.count()
                messages.success(
                    request,
                    ngettext(
                        "The written procedure is being sent to %(count)s member.",
                        "The written procedure is being sent to %(count)s members.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect("written_detail", org=org, pk=procedure.pk)
        return self.show(body, form, status=400)


class ProcedureView(OrgView):
    permission = Perm.MEETING_VIEW

    def load(self, pk: int) -> WrittenProcedure:
        return get_object_or_404(
            WrittenProcedure.objects.select_related("body", "decision"),
            pk=pk,
        )

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        procedure = self.load(pk)
        return render(
            request,
            "governance/written_detail.html",
            self.context(
                procedure=procedure,
                answers=procedure.answers.select_related("person"),
                choices=[c for c in WrittenAnswer.Choice.choices if c[0]],
                can_edit=self.can(Perm.MEETING_EDIT),
                now=timezone.now(),
                waits=written.waits_to_be_registered(procedure),
                audit_entries=list(audit.entries_for(procedure)[:50])
                if self.can(Perm.AUDIT_VIEW)
                else None,
            ),
        )

    def post(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        self.require(Perm.MEETING_EDIT)
        procedure = self.load(pk)
        action = request.POST.get("action", "")
        try:
            if action == "close":
                written.procedure_close(procedure=procedure, by=self.user)
                messages.success(
                    request,
                    _("The written procedure is closed; its outcome is being sent to the members."),
                )
            elif action == "register":
                decision = written.procedure_register(procedure=procedure, by=self.user)
                messages.success(
                    request, _("Registered as %(number)s.") % {"number": decision.number}
                )
            elif action == "withdraw":
                if not self.confirmed():
                    return self.confirm(
                        question=_("Withdraw this written procedure?"),
                        consequences=[
                            _("Nothing will be decided; the answers given stay in the history."),
                            _("The members it reached will be told that no answer is needed."),
                        ],
                        button=_("Withdraw the written procedure"),
                        back=reverse("written_detail", args=[org, pk]),
                        undoable=False,
                    )
                written.procedure_withdraw(
                    procedure=procedure, by=self.user, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("The written procedure is withdrawn."))
            elif action == "answer":
                answer = get_object_or_404(procedure.answers.all(), pk=request.POST.get("answer"))
                written.procedure_answer(
                    answer=answer, choice=request.POST.get("choice", ""), by=self.user
                )
                messages.success(request, _("The answer was recorded."))
            else:
                messages.error(request, _("Unknown action."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect("written_detail", org=org, pk=pk)


class AnswerForm(forms.Form):
    choice = forms.ChoiceField(
        label=gettext_lazy("Your answer"),
        choices=[c for c in WrittenAnswer.Choice.choices if c[0]],
        widget=forms.RadioSelect,
    )


@scoped_by(WrittenAnswer)
def answer_page(request: HttpRequest, token: str) -> HttpResponse:
    answer = (
        WrittenAnswer.objects.select_related("procedure__body", "procedure__organisation", "person")
        .filter(token=token)
        .first()
    )
    if answer is None:
        return personal_links.unknown(request)
    if answer.procedure.state == WrittenProcedure.State.CANCELLED:
        return personal_links.procedure_withdrawn(request, answer)
    procedure = answer.procedure
    organisation = procedure.organisation
    with reading(organisation, answer.language) as reader:
        form = AnswerForm(request.POST or None, initial={"choice": answer.choice})
        status = 200
        if request.method == "POST" and form.is_valid():
            try:
                written.procedure_answer(answer=answer, choice=form.cleaned_data["choice"])
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
                status = 400
            else:
                return redirect("written_answer", token=token)
        elif request.method == "POST":
            status = 400

        return render(
            request,
            "governance/written_answer.html",
            {
                "answer": answer,
                "procedure": procedure,
                "title": reader.text(procedure.title),
                "decision": reader.text(procedure.draft_decision),
                "body_name": reader.text(procedure.body.name),
                "form": form,
                "language": answer.language,
                "open": procedure.state == "open" and timezone.now() < procedure.deadline,
            },
            status=status,
        )
