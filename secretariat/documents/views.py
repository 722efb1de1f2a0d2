"""Downloading meeting documents, and the organisation's own Word templates."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secretariat.core.forms import apply_errors
from secretariat.core.permissions import Perm
from secretariat.core.views.base import OrgView, attachment
from secretariat.documents import rendering, services
from secretariat.documents.models import DocumentTemplate, TemplateKind


class MeetingDocumentView(OrgView):
    permission = Perm.MEETING_VIEW

    def get(self, request: HttpRequest, org: str, pk: int, kind: str, fmt: str) -> HttpResponse:
        from secretariat.governance import dossier
        from secretariat.governance.models import Meeting

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


class TemplateForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Document"), choices=TemplateKind.choices)
    bilingual = forms.BooleanField(label=gettext_lazy("Bilingual side by side"), required=False)
    language = forms.ChoiceField(label=gettext_lazy("Language"), required=False)
    file = forms.FileField(label=gettext_lazy("Word template (.docx)"))

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["language"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", gettext_lazy("Every language")),
            *[(lang, lang.upper()) for lang in organisation.languages],
        ]


class TemplatesView(OrgView):
    permission = Perm.ORG_MANAGE

    def show(self, form: TemplateForm, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            "documents/templates.html",
            self.context(
                form=form,
                templates=DocumentTemplate.objects.all(),
                kinds=TemplateKind.choices,
            ),
            status=status,
        )

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        return self.show(TemplateForm(organisation=self.organisation))

    def post(self, request: HttpRequest, org: str) -> HttpResponse:
        if "delete" in request.POST:
            template = get_object_or_404(
                DocumentTemplate.objects.all(),
                pk=request.POST["delete"],
            )
            services.document_template_delete(template=template, by=self.user)
            return redirect("document_templates", org=org)
        form = TemplateForm(request.POST, request.FILES, organisation=self.organisation)
        if not form.is_valid():
            return self.show(form, status=400)
        data = form.cleaned_data
        try:
            services.document_template_upload(
                organisation=self.organisation,
                kind=data["kind"],
                bilingual=data["bilingual"],
                language=data["language"],
                file=data["file"],
                by=self.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
            return self.show(form, status=400)
        messages.success(request, _("The template was saved; documents now use it."))
        return redirect("document_templates", org=org)


class DefaultTemplateView(OrgView):
    """Download one of our default templates, to adapt it."""

    permission = Perm.ORG_MANAGE

    def get(self, request: HttpRequest, org: str, name: str) -> FileResponse:
        allowed = {p.name for p in rendering.DEFAULTS.glob("*.docx")}
        if name not in allowed:
            raise Http404
        return FileResponse(
            (rendering.DEFAULTS / name).open("rb"), as_attachment=True, filename=name
        )
