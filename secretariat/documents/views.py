"""The organisation's own Word templates, and our defaults to start from. The documents
themselves are downloaded from the pages of the apps that produce them."""

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
from secretariat.core.views.base import OrgView
from secretariat.documents import kinds, services
from secretariat.documents.models import DocumentTemplate


class TemplateForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Document"), choices=kinds.choices)
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
                kinds=kinds.choices(),
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
        path = kinds.default_file(name)
        if path is None:
            raise Http404
        return FileResponse(path.open("rb"), as_attachment=True, filename=name)
