"""The personal page of a convened member, reached through the link in their convocation
(no account needed: the link is the key)."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from secretariat.core import text_notes
from secretariat.core.reader import reading
from secretariat.core.scope import scoped_by
from secretariat.governance import agenda, attendance, feeds, personal_links
from secretariat.governance.models import Invitation, MeetingState


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.person)


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[c for c in Invitation.Answer.choices if c[0]],
        widget=forms.RadioSelect,
    )
    proxy_to = MemberChoiceField(
        label=_("Proxy given to"), queryset=Invitation.objects.none(), required=False
    )

    def __init__(self, *args: Any, invitation: Invitation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = attendance.answer_options(invitation.meeting)[invitation.pk]
        answer = self.fields["answer"]
        assert isinstance(answer, forms.ChoiceField)
        answer.choices = options.answers
        field = self.fields["proxy_to"]
        assert isinstance(field, forms.ModelChoiceField)
        if options.holders:
            field.queryset = invitation.meeting.invitations.filter(
                pk__in=[h.pk for h in options.holders]
            ).select_related("person")
        else:
            del self.fields["proxy_to"]


@require_http_methods(["GET", "POST"])
@scoped_by(Invitation)
def invitation_page(request: HttpRequest, token: str) -> HttpResponse:
    invitation = (
        Invitation.objects.select_related("meeting__body", "meeting__organisation", "person")
        .filter(token=token)
        .first()
    )
    if invitation is None:
        return personal_links.unknown(request)
    if invitation.meeting.state == MeetingState.CANCELLED:
        return personal_links.meeting_cancelled(request, invitation)
    meeting = invitation.meeting
    organisation = meeting.organisation
    with reading(organisation, invitation.language) as reader:
        form = AnswerForm(
            request.POST or None,
            invitation=invitation,
            initial={"answer": invitation.answer, "proxy_to": invitation.proxy_to_id},
        )
        status = 200
        if request.method == "POST" and form.is_valid():
            try:
                attendance.invitation_answer(
                    invitation=invitation,
                    answer=form.cleaned_data["answer"],
                    proxy_to=form.cleaned_data.get("proxy_to"),
                    by=None,
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
                status = 400
            else:
                return redirect("invitation", token=token)
        elif request.method == "POST":
            status = 400
        items = agenda.ordered(meeting.items.prefetch_related("documents__files"))
        numbers = agenda.numbering(items)
        notes = text_notes.notes_for([meeting, *items], invitation.language)

        def notes_of(obj: Any, *fields: str) -> list[Any]:
            found = (notes.get((obj._meta.label_lower, obj.pk, name)) for name in fields)
            return [n for n in found if n is not None]

        text = reader.text
        response = render(
            request,
            "governance/invitation.html",
            {
                "invitation": invitation,
                "meeting": meeting,
                "title": text(meeting.title),
                "title_notes": notes_of(meeting, "title"),
                "body_name": text(meeting.body.name),
                "items": [
                    {
                        "number": numbers[i.pk],
                        "title": text(i.title),
                        "description": text(i.description),
                        "draft_decision": text(i.draft_decision),
                        "sub": i.parent_id is not None,
                        "notes": notes_of(i, "title", "description", "draft_decision"),
                        "documents": [
                            {"title": text(d.title), "files": list(d.files.all())}
                            for d in i.documents.all()
                        ],
                    }
                    for i in items
                    if i.public or invitation.membership_id
                ],
                "form": form,
                "language": invitation.language,
                "feed_url": reverse(
                    "calendar_feed", args=[feeds.feed_for_person(invitation.person).token]
                ),
            },
            status=status,
        )
    return response
