"""The translation work queue, the side-by-side editor of one version, and bulk
pre-translation with its progress."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secretariat.core import text_purposes, text_rules
from secretariat.core.forms import DateField
from secretariat.core.models import User
from secretariat.core.permissions import Perm
from secretariat.core.row_ids import parse_id
from secretariat.core.texts import text_review
from secretariat.core.views.base import OrgView, is_htmx, query_without_page
from secretariat.translation import machine, pretranslate, queue, workbench
from secretariat.translation.models import (
    EngineKind,
    MemoryOrigin,
    PretranslationRun,
)

STATUS_CHOICES = [
    (text_rules.Status.MISSING.value, gettext_lazy("missing")),
    (text_rules.Status.OUTDATED.value, gettext_lazy("outdated")),
    (text_rules.Status.MACHINE.value, gettext_lazy("machine translation, not reviewed")),
    (text_rules.Status.UNREVIEWED.value, gettext_lazy("awaiting review")),
]


class QueueView(OrgView):
    permission = Perm.TEXT_REVIEW

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        organisation = self.organisation
        languages = organisation.languages
        others = [code for code in languages if code != organisation.default_language]
        language = request.GET.get("language") or (others[0] if others else languages[0])
        if language not in languages:
            raise Http404
        statuses = [s for s in request.GET.getlist("status") if s in dict(STATUS_CHOICES)]
        who = request.GET.get("who", "")
        try:
            number = int(request.GET.get("page", "1"))
        except ValueError:
            number = 1
        missing = queue.counts(organisation)
        found = queue.page(
            organisation,
            language,
            counted=missing,
            statuses=statuses,
            assignee=self.user if who == "me" else None,
            unassigned=who == "nobody",
            number=number,
        )
        runs = PretranslationRun.objects.all()[:3]
        return render(
            request,
            "translation/queue.html",
            self.context(
                language=language,
                counts=missing,
                page=found,
                statuses=statuses,
                status_choices=STATUS_CHOICES,
                who=who,
                query=query_without_page(request),
                runs=runs,
                today=organisation.today(),
            ),
        )


class ItemMixin(OrgView):
    permission = Perm.TEXT_REVIEW

    def item(self, label: str, pk: int, field: str, language: str) -> Any:
        if language not in self.organisation.languages:
            raise Http404
        obj = queue.resolve(self.organisation, label, pk, field)
        if obj is None:
            raise Http404
        return obj


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label=gettext_lazy("Assigned to")
    )
    due = DateField(required=False, label=gettext_lazy("Due by"))

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = queue.translators(organisation)  # type: ignore[attr-defined]


class EditorView(ItemMixin):
    """Source and target side by side, with what the source changed, memory and machine
    suggestions and the glossary's advice."""

    def get(
        self, request: HttpRequest, org: str, label: str, pk: int, field: str, language: str
    ) -> HttpResponse:
        obj = self.item(label, pk, field, language)
        return render(request, "translation/editor.html", self.editor_context(obj, field, language))

    def editor_context(self, obj: Any, field: str, language: str, **extra: Any) -> dict[str, Any]:
        view = workbench.unit_view(obj, field, language)
        found = queue.assignment_of(obj, field, language)
        return self.context(
            obj=obj,
            field=field,
            field_label=obj._meta.get_field(field).verbose_name,
            label=obj._meta.label_lower,
            language=language,
            source_language=view.source_language,
            source_text=view.source_text,
            target_text=extra.pop("draft", view.target_text),
            status=view.status,
            version=view.target,
            changes=view.changes,
            highlighted=view.highlighted,
            warnings=view.warnings,
            matches=view.matches,
            link=text_purposes.link(obj),
            assign_form=AssignForm(
                organisation=self.organisation,
                initial={
                    "assignee": found.assignee if found else None,
                    "due": found.due if found else None,
                },
            ),
            assignment=found,
            origin_names=dict(MemoryOrigin.choices),
            engine_names={**dict(EngineKind.choices), "xliff": _("translation agency")},
            **extra,
        )

    def post(
        self, request: HttpRequest, org: str, label: str, pk: int, field: str, language: str
    ) -> HttpResponse:
        obj = self.item(label, pk, field, language)
        action = request.POST.get("action", "save")
        here = reverse("translation_editor", args=[org, label, pk, field, language])
        try:
            if action == "assign":
                form = AssignForm(request.POST, organisation=self.organisation)
                if not form.is_valid():
                    return render(
                        request,
                        "translation/editor.html",
                        self.editor_context(obj, field, language),
                        status=400,
                    )
                queue.assign(
                    organisation=self.organisation,
                    obj=obj,
                    field=field,
                    language=language,
                    assignee=form.cleaned_data["assignee"],
                    due=form.cleaned_data["due"],
                    by=self.user,
                )
                messages.success(request, _("Assignment saved."))
                return redirect(here)
            if action == "machine":
                engine, text = machine.machine_preview(obj=obj, field_name=field, target=language)
                return render(
                    request,
                    "translation/editor.html",
                    self.editor_context(
                        obj,
                        field,
                        language,
                        draft=text,
                        suggested_engine=engine,
                        suggested_text=text,
                    ),
                )
            if action == "review":
                text_review(obj=obj, field_name=field, language=language, by=self.user)
                messages.success(request, _("Marked as reviewed."))
                return redirect(here)
            workbench.save_translation(
                obj=obj,
                field=field,
                language=language,
                text=request.POST.get("text", ""),
                by=self.user,
                review=action == "save_review",
                suggested_engine=request.POST.get("suggested_engine", ""),
                suggested_text=request.POST.get("suggested_text", ""),
            )
        except ValidationError as error:
            return render(
                request,
                "translation/editor.html",
                self.editor_context(
                    obj,
                    field,
                    language,
                    draft=request.POST.get("text") or None,
                    problems=error.messages,
                ),
                status=400,
            )
        messages.success(request, _("Translation saved."))
        if request.POST.get("next") == "queue":
            return redirect(reverse("translation_queue", args=[org]) + f"?language={language}")
        return redirect(here)


class PretranslateView(OrgView):
    """Start a background pre-translation of the whole queue (missing and outdated texts) of
    one language, or of one object."""

    permission = Perm.TEXT_REVIEW

    def post(self, request: HttpRequest, org: str) -> HttpResponse:
        language = request.POST.get("language", "")
        if language not in self.organisation.languages:
            raise Http404
        label = request.POST.get("model", "")
        if label:
            pk = parse_id(request.POST.get("pk", ""))
            obj = queue.resolve_object(self.organisation, label, pk) if pk is not None else None
            if obj is None:
                raise Http404
            units = [
                unit
                for part in text_purposes.with_parts(obj)
                for unit in pretranslate.units_of_object(part, language)
            ]
        else:
            units = queue.all_units(
                self.organisation,
                language,
                [text_rules.Status.MISSING, text_rules.Status.OUTDATED],
            )
        try:
            run = pretranslate.start(
                organisation=self.organisation, language=language, units=units, by=self.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(request.POST.get("back") or reverse("translation_queue", args=[org]))
        messages.success(
            request,
            _("Pre-translation of %(count)s texts started; progress is shown below.")
            % {"count": run.total},
        )
        return redirect(reverse("translation_run", args=[org, run.pk]))


class RunView(OrgView):
    permission = Perm.TEXT_REVIEW

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        run = get_object_or_404(PretranslationRun, pk=pk)
        template = "translation/partials/run.html" if is_htmx(request) else "translation/run.html"
        return render(request, template, self.context(run=run))
