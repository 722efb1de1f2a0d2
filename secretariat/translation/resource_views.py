"""Pages of the translation resources: glossary, memory, engines and the words translated."""

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secretariat.core.forms import DateField, TextField, apply_errors
from secretariat.core.permissions import Perm
from secretariat.core.row_ids import parse_year
from secretariat.core.texts import language_name
from secretariat.core.views.base import OrgView, attachment, table_download
from secretariat.translation import accounting, glossary, machine, memory, queue, xliff
from secretariat.translation.models import (
    Concept,
    EngineKind,
    EngineSetting,
    MemoryOrigin,
    MemoryUnit,
    TermStatus,
    WorkOrigin,
)


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File"))


# Glossary ---------------------------------------------------------------------------------------


class GlossaryView(OrgView):
    permission = Perm.TEXT_REVIEW

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        fmt = request.GET.get("export")
        if fmt == "tbx":
            return attachment(
                glossary.tbx_export(organisation=self.organisation),
                f"{org}-glossary.tbx",
                "application/x-tbx+xml",
            )
        if fmt == "csv":
            return attachment(
                glossary.csv_export(organisation=self.organisation),
                f"{org}-glossary.csv",
                "text/csv; charset=utf-8",
            )
        return self.show(request, UploadForm())

    def show(
        self, request: HttpRequest, form: UploadForm, status: int = 200, **extra: Any
    ) -> HttpResponse:
        concepts = Concept.objects.prefetch_related("terms")
        q = request.GET.get("q", "").strip()
        if q:
            concepts = concepts.filter(terms__text__icontains=q).distinct()
        page = Paginator(concepts, 50).get_page(request.GET.get("page"))
        return render(
            request,
            "translation/glossary.html",
            self.context(page=page, q=q, form=form, query=f"q={q}" if q else "", **extra),
            status=status,
        )

    def post(self, request: HttpRequest, org: str) -> HttpResponse:
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.show(request, form, status=400)
        upload = form.cleaned_data["file"]
        report = glossary.glossary_import(
            organisation=self.organisation, file=upload, name=upload.name or "", by=self.user
        )
        if report.error:
            return self.show(request, UploadForm(), status=400, import_error=report.error)
        messages.success(request, report.summary())
        if report.unknown_languages:
            messages.warning(
                request,
                _("Terms in languages that are not working languages were left out: %(languages)s.")
                % {"languages": ", ".join(sorted(report.unknown_languages))},
            )
        return redirect("glossary", org=org)


class ConceptForm(forms.Form):
    note = TextField(
        label=gettext_lazy("Definition or note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    domain = forms.CharField(label=gettext_lazy("Domain"), required=False, max_length=100)
    valid_from = DateField(label=gettext_lazy("Valid from"), required=False)
    valid_until = DateField(label=gettext_lazy("Valid until"), required=False)
    do_not_translate = forms.BooleanField(
        label=gettext_lazy("Do not translate (a name that stays as it is)"), required=False
    )

    def __init__(self, *args: Any, languages: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.languages = languages
        for code in languages:
            name = language_name(code)
            self.fields[f"preferred_{code}"] = forms.CharField(
                label=_("%(language)s: preferred term") % {"language": name},
                required=False,
                max_length=300,
            )
            self.fields[f"admitted_{code}"] = forms.CharField(
                label=_("%(language)s: also admitted (separated by ;)") % {"language": name},
                required=False,
            )
            self.fields[f"forbidden_{code}"] = forms.CharField(
                label=_("%(language)s: not to be used (separated by ;)") % {"language": name},
                required=False,
            )

    def language_rows(self) -> list[tuple[str, list[Any]]]:
        return [
            (code, [self[f"preferred_{code}"], self[f"admitted_{code}"], self[f"forbidden_{code}"]])
            for code in self.languages
        ]

    def terms(self) -> list[tuple[str, str, str]]:
        out = []
        for code in self.languages:
            data = self.cleaned_data
            out.append((code, data.get(f"preferred_{code}", ""), TermStatus.PREFERRED.value))
            for kind, status in (
                ("admitted", TermStatus.ADMITTED),
                ("forbidden", TermStatus.FORBIDDEN),
            ):
                for text in (data.get(f"{kind}_{code}") or "").split(";"):
                    out.append((code, text, status.value))
        return out

    @staticmethod
    def initial_of(concept: Concept) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "note": concept.note,
            "domain": concept.domain,
            "valid_from": concept.valid_from,
            "valid_until": concept.valid_until,
            "do_not_translate": any(t.do_not_translate for t in concept.terms.all()),
        }
        lists: dict[str, list[str]] = {}
        for term in concept.terms.all():
            if term.status == TermStatus.PREFERRED and f"preferred_{term.language}" not in initial:
                initial[f"preferred_{term.language}"] = term.text
                continue
            kind = (
                "admitted"
                if term.status in (TermStatus.PREFERRED, TermStatus.ADMITTED)
                else "forbidden"
            )
            lists.setdefault(f"{kind}_{term.language}", []).append(term.text)
        initial.update({key: "; ".join(values) for key, values in lists.items()})
        return initial


class ConceptEditView(OrgView):
    permission = Perm.TEXT_REVIEW

    def concept(self, pk: int | None) -> Concept | None:
        if pk is None:
            return None
        return get_object_or_404(Concept, pk=pk)

    def get(self, request: HttpRequest, org: str, pk: int | None = None) -> HttpResponse:
        concept = self.concept(pk)
        form = ConceptForm(
            languages=self.organisation.languages,
            initial=ConceptForm.initial_of(concept) if concept else None,
        )
        return render(
            request, "translation/concept_form.html", self.context(form=form, concept=concept)
        )

    def post(self, request: HttpRequest, org: str, pk: int | None = None) -> HttpResponse:
        concept = self.concept(pk)
        if concept is not None and request.POST.get("delete"):
            glossary.concept_delete(concept=concept, by=self.user)
            messages.success(request, _("Concept deleted."))
            return redirect("glossary", org=org)
        form = ConceptForm(request.POST, languages=self.organisation.languages)
        if form.is_valid():
            try:
                glossary.concept_save(
                    organisation=self.organisation,
                    concept=concept,
                    terms=form.terms(),
                    by=self.user,
                    do_not_translate=form.cleaned_data["do_not_translate"],
                    note=form.cleaned_data["note"],
                    domain=form.cleaned_data["domain"],
                    valid_from=form.cleaned_data["valid_from"],
                    valid_until=form.cleaned_data["valid_until"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Concept saved."))
                return redirect("glossary", org=org)
        return render(
            request,
            "translation/concept_form.html",
            self.context(form=form, concept=concept),
            status=400,
        )


# Memory -----------------------------------------------------------------------------------------


class MemoryView(OrgView):
    permission = Perm.TEXT_REVIEW

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        if request.GET.get("export") == "tmx":
            return attachment(
                memory.tmx_export(organisation=self.organisation),
                f"{org}-memory.tmx",
                "application/x-tmx+xml",
            )
        return self.show(request, UploadForm())

    def show(
        self, request: HttpRequest, form: UploadForm, status: int = 200, **extra: Any
    ) -> HttpResponse:
        languages = self.organisation.languages
        directions = (
            MemoryUnit.objects.all()
            .values("source_language", "target_language")
            .annotate(
                total=Count("pk"),
                reviewed=Count("pk", filter=Q(origin="reviewed")),
                tmx=Count("pk", filter=Q(origin="tmx")),
                xliff=Count("pk", filter=Q(origin="xliff")),
            )
            .order_by("source_language", "target_language")
        )
        source = request.GET.get("source", languages[0])
        target = request.GET.get("target", languages[1] if len(languages) > 1 else languages[0])
        q = request.GET.get("q", "").strip()
        matches = (
            memory.lookup(
                organisation=self.organisation,
                source_language=source,
                target_language=target,
                text=q,
                limit=10,
            )
            if q and source in languages and target in languages and source != target
            else None
        )
        return render(
            request,
            "translation/memory.html",
            self.context(
                directions=directions,
                form=form,
                q=q,
                source=source,
                target=target,
                matches=matches,
                origin_names=dict(MemoryOrigin.choices),
                **extra,
            ),
            status=status,
        )

    def post(self, request: HttpRequest, org: str) -> HttpResponse:
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.show(request, form, status=400)
        upload = form.cleaned_data["file"]
        report = memory.memory_import(
            organisation=self.organisation, file=upload, name=upload.name or "", by=self.user
        )
        if report.error:
            return self.show(request, UploadForm(), status=400, import_error=report.error)
        messages.success(
            request,
            _("%(units)s translation units read, %(added)s sentence pairs added.")
            % {"units": report.units, "added": report.added},
        )
        if report.skipped_languages:
            messages.warning(
                request,
                _("Languages that are not working languages were left out: %(languages)s.")
                % {"languages": ", ".join(sorted(report.skipped_languages))},
            )
        return redirect("memory", org=org)


# Engines ----------------------------------------------------------------------------------------


class EngineForm(forms.ModelForm):
    url = forms.URLField(label=gettext_lazy("Address"), required=False, assume_scheme="https")
    secret = forms.CharField(
        label=gettext_lazy("Key or password"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy("Leave empty to keep the one saved."),
    )

    class Meta:
        model = EngineSetting
        fields = ["kind", "url", "username", "secret", "position", "enabled"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            (k, v) for k, v in EngineKind.choices if k != EngineKind.MEMORY
        ]
        self.fields["position"].label = _("Order of preference")


class PolicyForm(forms.Form):
    machine_translation_external = forms.BooleanField(
        required=False,
        label=gettext_lazy(
            "Non-confidential texts may go to engines outside our servers (DeepL, eTranslation)"
        ),
        help_text=gettext_lazy(
            "Confidential texts (closed agenda items, confidential decisions) only ever go to "
            "engines on our own servers, whatever is chosen here."
        ),
    )


class EnginesView(OrgView):
    permission = Perm.TRANSLATION_ENGINES

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        return self.show(request, EngineForm(), None)

    def show(
        self,
        request: HttpRequest,
        form: EngineForm,
        editing: EngineSetting | None,
        status: int = 200,
    ) -> HttpResponse:
        return render(
            request,
            "translation/engines.html",
            self.context(
                engines=EngineSetting.objects.all(),
                form=form,
                editing=editing,
                policy=PolicyForm(
                    initial={
                        "machine_translation_external": self.organisation.machine_translation_external
                    }
                ),
            ),
            status=status,
        )

    def post(self, request: HttpRequest, org: str) -> HttpResponse:
        organisation = self.organisation
        if "policy" in request.POST:
            policy = PolicyForm(request.POST)
            policy.is_valid()
            machine.policy_set(
                organisation=organisation,
                external=policy.cleaned_data.get("machine_translation_external", False),
                by=self.user,
            )
            messages.success(request, _("Policy saved."))
            return redirect("engines", org=org)
        editing = None
        if request.POST.get("pk"):
            editing = get_object_or_404(EngineSetting, pk=request.POST["pk"])
            if request.POST.get("delete"):
                machine.engine_remove(setting=editing, by=self.user)
                messages.success(request, _("Engine removed."))
                return redirect("engines", org=org)
        form = EngineForm(request.POST, instance=editing)
        if not form.is_valid():
            return self.show(request, form, editing, status=400)
        # The form fills the row in memory; the service checks what each engine needs.
        setting = form.save(commit=False)
        setting.organisation = organisation
        try:
            machine.engine_save(
                setting=setting, secret=form.cleaned_data.get("secret") or "", by=self.user
            )
        except ValidationError as error:
            apply_errors(form, error)
            return self.show(request, form, editing, status=400)
        messages.success(request, _("Engine saved."))
        return redirect("engines", org=org)


class EngineEditView(EnginesView):
    def get(self, request: HttpRequest, org: str, pk: int = 0) -> HttpResponse:
        editing = get_object_or_404(EngineSetting, pk=pk)
        return self.show(request, EngineForm(instance=editing), editing)

    def post(self, request: HttpRequest, org: str, pk: int = 0) -> HttpResponse:
        # The page's forms post to the list page; a form posted here is handled the same way.
        return super().post(request, org)


# Words translated -------------------------------------------------------------------------------


class WordsView(OrgView):
    permission = Perm.TEXT_REVIEW

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        year = parse_year(request.GET.get("year", ""))
        since = until = None
        if year is not None:
            since, until = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        figures = accounting.monthly(self.organisation, since=since, until=until)
        origins = list(WorkOrigin.choices)
        fmt = request.GET.get("format")
        if fmt in ("csv", "xlsx"):
            columns = ["month", "language", *[code for code, _name in origins], "total"]
            rows = [
                [
                    f.month.strftime("%Y-%m"),
                    f.language,
                    *[f.words[code] for code, _n in origins],
                    f.total,
                ]
                for f in figures
            ]
            return table_download(
                columns, rows, fmt=fmt, name=f"{org}-words", title=_("Words translated")
            )
        totals = {code: sum(f.words[code] for f in figures) for code, _name in origins}
        return render(
            request,
            "translation/words.html",
            self.context(
                figures=figures,
                origins=origins,
                totals=totals,
                year=year,
                grand_total=sum(totals.values()),
            ),
        )


# XLIFF of a queue -------------------------------------------------------------------------------


class QueueXliffView(OrgView):
    """The open texts of one language whose original is in ``source``, as one XLIFF package."""

    permission = Perm.TEXT_REVIEW

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        languages = self.organisation.languages
        source, target = request.GET.get("source", ""), request.GET.get("target", "")
        if source not in languages or target not in languages or source == target:
            raise Http404
        units = (
            xliff.units_for(
                self.organisation,
                queue.all_units(self.organisation, target, queue.OPEN),
                source,
                target,
            )
            or []
        )
        name = f"{org}-queue-{source}-{target}"
        return xliff.download(units, source, target, name, request.GET.get("version", "2.0"))
