"""Translation pages: XLIFF packages for an agency (a meeting and its agenda, or any kind an app
registered with its parts), and importing them back."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from secretariat.core import text_purposes
from secretariat.core.permissions import Perm
from secretariat.core.scope import scoped_by
from secretariat.core.views.base import OrgView
from secretariat.translation import xliff
from secretariat.translation.models import MachineJob


class BundleXliffView(OrgView):
    """Download the texts of an object and of what goes with it (a meeting: its title, agenda,
    draft decisions, minutes) as XLIFF. The object is named by its kind's model label; the
    kinds are those whose app registered their parts (``core/text_purposes.py``)."""

    permission = Perm.TEXT_REVIEW

    def get(self, request: HttpRequest, org: str, label: str, pk: int) -> HttpResponse:
        objects = text_purposes.bundle(self.organisation, label, pk)
        if objects is None:
            raise Http404
        languages = self.organisation.languages
        source = request.GET.get("source", self.organisation.default_language)
        target = request.GET.get("target", "")
        if source not in languages or target not in languages or source == target:
            raise Http404
        units = xliff.units_of(objects, source, target, self.organisation)
        kind = objects[0]._meta.model_name
        name = f"{self.organisation.slug}-{kind}-{pk}-{source}-{target}"
        return xliff.download(units, source, target, name, request.GET.get("version", "2.0"))


class XliffImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("XLIFF file returned by the translator"))


class XliffImportView(OrgView):
    permission = Perm.TEXT_REVIEW

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        return render(
            request,
            "translation/xliff_import.html",
            self.context(form=XliffImportForm(), report=None),
        )

    def post(self, request: HttpRequest, org: str) -> HttpResponse:
        form = XliffImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(
                request,
                "translation/xliff_import.html",
                self.context(form=form, report=None),
                status=400,
            )
        report = xliff.import_xliff(
            organisation=self.organisation, file=form.cleaned_data["file"], by=self.user
        )
        if report.ok:
            messages.success(
                request,
                _("%(imported)s translations imported, %(unchanged)s unchanged.")
                % {"imported": report.imported, "unchanged": report.unchanged},
            )
            return redirect("xliff_import", org=org)
        return render(
            request,
            "translation/xliff_import.html",
            self.context(form=XliffImportForm(), report=report),
            status=400,
        )


@csrf_exempt
@require_POST
@scoped_by(MachineJob, field="reference", kwarg="reference")
def machine_callback(request: HttpRequest, reference: str) -> HttpResponse:
    """eTranslation's answer; the unguessable reference in the address is the credential."""
    from secretariat.translation import engines, machine

    try:
        machine.callback_received(
            reference=reference, fields=engines.ETranslation.parse_callback(request.body)
        )
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=404)
    return HttpResponse("ok")


@csrf_exempt
@require_POST
@scoped_by(MachineJob, field="reference", kwarg="reference")
def machine_error_callback(request: HttpRequest, reference: str) -> HttpResponse:
    from secretariat.translation import engines, machine

    try:
        machine.callback_received(
            reference=reference,
            fields=engines.ETranslation.parse_callback(request.body),
            error=True,
        )
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=404)
    return HttpResponse("ok")
