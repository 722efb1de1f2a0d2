"""Downloading a meeting's documents (convocation letter, dossier, minutes) as Word or PDF,
in one language or two side by side; the templates are the documents app's."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from secretariat.core.permissions import Perm
from secretariat.core.views.base import OrgView, attachment
from secretariat.governance import dossier
from secretariat.governance.models import Meeting


class MeetingDocumentView(OrgView):
    permission = Perm.MEETING_VIEW

    def get(self, request: HttpRequest, org: str, pk: int, kind: str, fmt: str) -> HttpResponse:
        if kind not in dossier.KINDS or fmt not in ("docx", "pdf"):
            raise Http404
        meeting = get_object_or_404(
            Meeting.objects.select_related("body", "organisation"),
            pk=pk,
        )
        # One language, or a pair in the reader's order: chosen on the meeting page (two
        # ``lang`` fields) or written in a link (``lang=de,nl``).
        wanted = [lang for value in request.GET.getlist("lang") for lang in value.split(",")]
        languages = list(
            dict.fromkeys(lang for lang in wanted if lang in self.organisation.languages)
        )
        languages = languages[:2] or [self.organisation.default_language]
        try:
            name, content, content_type = dossier.produce(meeting, kind, fmt, languages)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("meeting_detail", org=org, pk=pk)
        return attachment(content, name, content_type)
