"""Bulk pre-translation of an object or a whole queue, in the background, with its progress
kept on a ``PretranslationRun`` for the page to show. Each text goes through the engines the
confidentiality policy allows (the memory first); a text someone translated meanwhile is
skipped, never overwritten."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from secretariat.core import text_rules
from secretariat.core.models import Organisation, User
from secretariat.core.scope import row_scope
from secretariat.core.texts import translatable_fields, versions_of
from secretariat.translation import machine, queue
from secretariat.translation.models import PretranslationRun

TO_FILL = {text_rules.Status.MISSING, text_rules.Status.OUTDATED}
SAVE_EVERY = 10


def units_of_object(obj: Any, language: str) -> list[str]:
    """The fields of ``obj`` whose ``language`` version is missing or outdated."""
    out = []
    all_versions = versions_of(obj)
    for name in translatable_fields(type(obj)):
        versions = all_versions[name]
        source = text_rules.original_language(versions)
        if source and source != language and text_rules.status_of(language, versions) in TO_FILL:
            out.append(f"{obj._meta.label_lower}:{obj.pk}:{name}")
    return out


def start(
    *, organisation: Organisation, language: str, units: Sequence[str], by: User | None
) -> PretranslationRun:
    if language not in organisation.languages:
        raise ValidationError(
            _("“%(language)s” is not a working language.") % {"language": language}
        )
    if not units:
        raise ValidationError(_("There is nothing to pre-translate."))
    run = PretranslationRun.objects.create(
        organisation=organisation,
        language=language,
        units=list(units),
        total=len(units),
        requested_by=by,
    )
    transaction.on_commit(lambda: pretranslate.enqueue(run.pk))
    return run


def execute(run: PretranslationRun) -> PretranslationRun:
    """Run in the language of whoever asked, so that the problems read in theirs."""
    requester = run.requested_by
    language = getattr(requester, "language", "") or run.organisation.default_language
    with translation.override(language):
        return _execute(run)


def _execute(run: PretranslationRun) -> PretranslationRun:
    run.state = PretranslationRun.State.RUNNING
    run.save(update_fields=["state"])
    organisation = run.organisation
    try:
        for n, unit in enumerate(run.units, start=1):
            _one(run, organisation, unit)
            if n % SAVE_EVERY == 0:
                run.save(update_fields=["done", "failed", "pending", "problems"])
    except Exception as error:  # the run must say it stopped, then re-raise
        run.state = PretranslationRun.State.FAILED
        run.problems = [*run.problems, ["", str(error)]][:50]
        run.finished_at = timezone.now()
        run.save()
        raise
    run.state = PretranslationRun.State.DONE
    run.finished_at = timezone.now()
    run.save()
    return run


def _one(run: PretranslationRun, organisation: Organisation, unit: str) -> None:
    found = queue.resolve_unit(organisation, unit)
    if found is None:
        _failed(run, unit, _("No text of this organisation has this id."))
        return
    obj, field = found
    status = text_rules.status_of(run.language, versions_of(obj)[field])
    if status not in TO_FILL:
        run.done += 1  # translated meanwhile: nothing to do
        return
    try:
        used = machine.machine_translate(
            obj=obj,
            field_name=field,
            target=run.language,
            by=run.requested_by,
            confidential=machine.is_confidential(obj),
        )
    except ValidationError as error:
        _failed(run, unit, " ".join(error.messages))
        return
    if used.startswith("pending:"):
        run.pending += 1
    else:
        run.done += 1


def _failed(run: PretranslationRun, unit: str, message: str) -> None:
    run.failed += 1
    if len(run.problems) < 50:
        run.problems = [*run.problems, [unit, message]]


# The task lives beside the services that queue it: a task module that imported them back
# would close an import cycle.
@task()
def pretranslate(run_id: int) -> dict[str, int]:
    with row_scope(PretranslationRun, pk=run_id):
        run = execute(PretranslationRun.objects.select_related("organisation").get(pk=run_id))
    return {"done": run.done, "failed": run.failed, "pending": run.pending}
