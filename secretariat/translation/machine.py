"""Machine pre-translation of the organisation's texts: which engine may receive a text, the
call, and the result stored as a machine version (never reviewed)."""

import datetime
import secrets
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from secretariat.core import audit, daily, text_rules
from secretariat.core.models import Organisation, User
from secretariat.core.texts import texts_commit, texts_stage, versions_of
from secretariat.translation import engines, memory
from secretariat.translation.models import EngineKind, EngineSetting, MachineJob


class MemoryEngine(engines.Engine):
    """The organisation's own memory as an engine: always available, never leaves the server;
    it only proposes sentences it knows exactly."""

    id = "memory"
    on_premises = True

    def __init__(self, organisation: Organisation) -> None:
        self.organisation = organisation

    def translate(self, request: engines.Request) -> list[str]:
        out = []
        for text in request.texts:
            suggestion, share = memory.suggest(
                organisation=self.organisation,
                source_language=request.source,
                target_language=request.target,
                text=text,
            )
            if share < 1:
                raise engines.EngineError(
                    _("The translation memory does not know every sentence."), "refused"
                )
            out.append(suggestion)
        return out


def build(setting: EngineSetting) -> engines.Engine:
    if setting.kind == EngineKind.LIBRETRANSLATE:
        return engines.LibreTranslate(setting.url, setting.secret)
    if setting.kind == EngineKind.DEEPL:
        return engines.DeepL(setting.secret, setting.url or "https://api-free.deepl.com")
    if setting.kind == EngineKind.ETRANSLATION:
        return engines.ETranslation(setting.url, setting.username, setting.secret)
    return MemoryEngine(setting.organisation)


def allowed_engines(organisation: Organisation, *, confidential: bool) -> list[engines.Engine]:
    """The engines this text may go to, in order: the memory first, then the configured ones
    the confidentiality policy allows."""
    found: list[engines.Engine] = [MemoryEngine(organisation)]
    for setting in EngineSetting.objects.filter(organisation=organisation, enabled=True).exclude(
        kind=EngineKind.MEMORY
    ):
        engine = build(setting)
        if engine.on_premises or (organisation.machine_translation_external and not confidential):
            found.append(engine)
    return found


def policy_set(*, organisation: Organisation, external: bool, by: User | None) -> None:
    """Whether non-confidential texts may go to engines outside our servers."""
    before = organisation.machine_translation_external
    if before == external:
        return  # saved unchanged: nothing to record
    with transaction.atomic():
        organisation.machine_translation_external = external
        organisation.save(update_fields=["machine_translation_external"])
        audit.record(
            by=by,
            action="update",
            obj=organisation,
            changes={"machine_translation_external": [before, external]},
        )


def engine_save(*, setting: EngineSetting, secret: str, by: User | None) -> EngineSetting:
    """Save an engine's settings; an empty ``secret`` keeps the stored key, and no key ever
    enters the audit trail. Each kind of engine needs what it connects with (an address, a
    key, an application name): every missing one is refused at once, keyed by field."""
    previous = EngineSetting.objects.filter(pk=setting.pk).first() if setting.pk else None
    setting.secret = secret or (previous.secret if previous else "")
    errors: dict[str, list[str]] = {}
    if setting.kind in (EngineKind.LIBRETRANSLATE, EngineKind.ETRANSLATION) and not setting.url:
        errors["url"] = [_("This engine needs its address.")]
    if setting.kind == EngineKind.DEEPL and not setting.secret:
        errors["secret"] = [_("DeepL needs an authentication key.")]
    if setting.kind == EngineKind.ETRANSLATION and not setting.username:
        errors["username"] = [_("eTranslation needs the application name.")]
    if errors:
        raise ValidationError(errors)
    if previous is not None and setting.secret == previous.secret:
        fields = ["kind", "url", "username", "position", "enabled"]
        if audit.snapshot(previous, fields) == audit.snapshot(setting, fields):
            return setting  # saved unchanged: nothing to record
    with transaction.atomic():
        setting.save()
        audit.record(
            by=by,
            action="update",
            obj=setting.organisation,
            changes={"engine": [None, f"{setting.kind} {setting.url}".strip()]},
        )
    return setting


def engine_remove(*, setting: EngineSetting, by: User | None) -> None:
    with transaction.atomic():
        setting.delete()
        audit.record(
            by=by,
            action="update",
            obj=setting.organisation,
            changes={"engine": [setting.kind, None]},
        )


def is_confidential(obj: Any) -> bool:
    """Texts that are not public (a closed agenda item, a confidential decision, and the
    documents of a closed item) never leave our servers."""
    if getattr(obj, "public", True) is False:
        return True
    item = getattr(obj, "item", None)
    return item is not None and getattr(item, "public", True) is False


def machine_preview(*, obj: Any, field_name: str, target: str) -> tuple[str, str]:
    """A suggestion from the first configured engine that answers at once (the memory has its
    own list in the editor, asynchronous engines answer later): (engine, text); nothing is
    saved."""
    versions = versions_of(obj)[field_name]
    source = text_rules.original_language(versions)
    if source is None or source == target:
        raise ValidationError(_("There is no original text to translate from."))
    request = engines.Request(source=source, target=target, texts=[versions[source].text])
    failures = []
    for engine in allowed_engines(obj.organisation, confidential=is_confidential(obj))[1:]:
        if engine.is_async:
            continue
        try:
            return engine.id, engine.translate(request)[0]
        except engines.EngineError as error:
            failures.append(f"{engine.id}: {error}")
    if not failures:
        raise ValidationError(_("No machine-translation engine is configured for this text."))
    raise ValidationError(
        _("No translation engine could translate this text. %(reasons)s")
        % {"reasons": " ".join(failures)}
    )


def _apply(obj: Any, field_name: str, target: str, text: str, engine: str, by: User | None) -> None:
    with transaction.atomic():
        update = texts_stage(
            obj=obj, values={field_name: {target: text}}, origin=text_rules.MACHINE, engine=engine
        )
        obj.save()
        texts_commit(update, by=by)
        audit.record(
            by=by, action="update", obj=obj, changes={field_name: [None, f"{target}: {engine}"]}
        )


def machine_translate(
    *, obj: Any, field_name: str, target: str, by: User | None, confidential: bool = False
) -> str:
    """Fill ``target`` from the field's original with the first engine that can; returns the
    engine used, or "pending:<engine>" when an asynchronous engine will answer later."""
    organisation = obj.organisation
    if target not in organisation.languages:
        raise ValidationError(_("“%(language)s” is not a working language.") % {"language": target})
    versions = versions_of(obj)[field_name]
    source = text_rules.original_language(versions)
    if source is None or source == target:
        raise ValidationError(_("There is no original text to translate from."))
    request = engines.Request(source=source, target=target, texts=[versions[source].text])
    failures = []
    for engine in allowed_engines(organisation, confidential=confidential):
        try:
            if engine.is_async:
                assert isinstance(engine, engines.ETranslation)
                return "pending:" + submit_async(
                    engine, obj, field_name, request, versions[source].text
                )
            text = engine.translate(request)[0]
        except engines.EngineError as error:
            failures.append(f"{engine.id}: {error}")
            continue
        _apply(obj, field_name, target, text, engine.id, by)
        return engine.id
    raise ValidationError(
        _("No translation engine could translate this text. %(reasons)s")
        % {"reasons": " ".join(failures)}
    )


def submit_async(
    engine: engines.ETranslation,
    obj: Any,
    field_name: str,
    request: engines.Request,
    source_text: str,
) -> str:
    reference = secrets.token_urlsafe(24)
    job = MachineJob.objects.create(
        organisation=obj.organisation,
        engine=engine.id,
        reference=reference,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        field=field_name,
        source_language=request.source,
        target_language=request.target,
        source_digest=text_rules.digest(source_text),
    )
    callback = settings.SITE_URL + reverse("machine_callback", args=[reference])
    error_callback = settings.SITE_URL + reverse("machine_error_callback", args=[reference])
    try:
        job.engine_request_id = engine.submit(
            request, reference=reference, callback=callback, error_callback=error_callback
        )
    except engines.EngineError as error:
        job.state, job.error = MachineJob.State.FAILED, str(error)
        job.save(update_fields=["state", "error"])
        raise
    job.save(update_fields=["engine_request_id"])
    return engine.id


def callback_received(*, reference: str, fields: dict[str, str], error: bool = False) -> MachineJob:
    """Apply an asynchronous engine's answer once; a second or late answer changes nothing, and
    neither does one for a text whose source changed meanwhile."""
    with transaction.atomic():
        job = MachineJob.objects.select_for_update().filter(reference=reference).first()
        if job is None:
            raise ValidationError(_("Unknown reference."))
        if job.state != MachineJob.State.PENDING:
            return job
        if error:
            job.state, job.error = (
                MachineJob.State.FAILED,
                f"{fields.get('error-code', '')} {fields.get('error-message', '')}".strip(),
            )
        else:
            obj = job.content_type.get_object_for_this_type(pk=job.object_id)
            versions = versions_of(obj)[job.field]
            source = versions.get(job.source_language)
            if source is None or text_rules.digest(source.text) != job.source_digest:
                job.state, job.error = (
                    MachineJob.State.FAILED,
                    "source changed before the translation arrived",
                )
            else:
                _apply(
                    obj,
                    job.field,
                    job.target_language,
                    fields.get("translated-text", "").strip(),
                    job.engine,
                    None,
                )
                job.state = MachineJob.State.DONE
        job.completed_at = timezone.now()
        job.save(update_fields=["state", "error", "completed_at"])
    return job


def expire_pending(*, older_than_hours: int = 24) -> int:
    """Jobs whose callback never came are marked failed, so that the text can be sent again."""
    limit = timezone.now() - datetime.timedelta(hours=older_than_hours)
    return MachineJob.objects.filter(state=MachineJob.State.PENDING, requested_at__lt=limit).update(
        state=MachineJob.State.FAILED, error="no callback", completed_at=timezone.now()
    )


def daily_expiry() -> daily.Outcome:
    """Translation's part of ``secretariat daily`` (registered in ``TranslationConfig.ready``)."""
    expired = expire_pending()
    return daily.Outcome(f"{expired} machine translations without an answer marked failed.")
