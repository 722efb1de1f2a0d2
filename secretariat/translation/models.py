from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from secretariat.core.models.owned import OrganisationOwned
from secretariat.core.scope import OrganisationManager


class MemoryOrigin(models.TextChoices):
    REVIEWED = "reviewed", _("reviewed translation of our own content")
    TMX = "tmx", _("imported translation memory (TMX)")
    XLIFF = "xliff", _("agency translation (XLIFF)")


class MemoryUnit(OrganisationOwned):
    """One sentence and its translation, in one direction, in an organisation's memory."""

    source_language = models.CharField(max_length=8)
    target_language = models.CharField(max_length=8)
    source_text = models.TextField()
    target_text = models.TextField()
    # Digest of the normalised source: exact matches are one indexed lookup.
    source_key = models.CharField(max_length=64)
    target_key = models.CharField(max_length=64)
    origin = models.CharField(max_length=10, choices=MemoryOrigin.choices)
    note = models.CharField(max_length=300, blank=True)  # where it came from: file, object
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["organisation", "source_language", "target_language", "source_key"]
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "organisation",
                    "source_language",
                    "target_language",
                    "source_key",
                    "target_key",
                ],
                name="memory_unit_once",
            )
        ]
        verbose_name = _("translation memory unit")
        verbose_name_plural = _("translation memory units")

    def __str__(self) -> str:
        return f"{self.source_language}>{self.target_language}: {self.source_text[:40]}"


class Concept(OrganisationOwned):
    """One notion of the organisation's termbase, named by terms in each language."""

    note = models.TextField(_("definition or note"), blank=True)
    domain = models.CharField(_("domain"), max_length=100, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    external_id = models.CharField(
        _("identifier in the source (e.g. IATE)"), max_length=100, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("concept")
        verbose_name_plural = _("concepts")

    def __str__(self) -> str:
        first = self.terms.first() if self.pk else None
        return first.text if first else f"#{self.pk}"


class TermStatus(models.TextChoices):
    PREFERRED = "preferred", pgettext_lazy("status of a glossary term", "preferred")
    ADMITTED = "admitted", _("admitted")
    DEPRECATED = "deprecated", _("deprecated")
    FORBIDDEN = "forbidden", _("forbidden")


class TermManager(OrganisationManager["Term"]):
    path = "concept__organisation"


class Term(models.Model):
    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="terms")
    language = models.CharField(_("language"), max_length=8)
    text = models.CharField(_("term"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=TermStatus.choices, default="preferred"
    )
    do_not_translate = models.BooleanField(_("do not translate"), default=False)

    objects = TermManager()

    class Meta:
        ordering = ["language", "status", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["concept", "language", "text"], name="term_once_per_concept"
            )
        ]

    def __str__(self) -> str:
        return f"{self.text} [{self.language}]"


class EngineKind(models.TextChoices):
    MEMORY = "memory", _("our translation memory")
    LIBRETRANSLATE = "libretranslate", _("LibreTranslate / Argos (self-hosted)")
    DEEPL = "deepl", _("DeepL")
    ETRANSLATION = "etranslation", _("eTranslation (European Commission)")


class EngineSetting(OrganisationOwned):
    """A machine-translation engine an organisation uses, in order of preference."""

    kind = models.CharField(_("engine"), max_length=16, choices=EngineKind.choices)
    url = models.URLField(_("address"), blank=True)
    username = models.CharField(_("user or application name"), max_length=100, blank=True)
    secret = models.CharField(_("key or password"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("translation engine")
        verbose_name_plural = _("translation engines")

    def __str__(self) -> str:
        return self.get_kind_display()


class MachineJob(OrganisationOwned):
    """A request to an asynchronous engine (eTranslation), waiting for its callback."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for the engine")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    engine = models.CharField(max_length=16, choices=EngineKind.choices)
    reference = models.CharField(max_length=64, unique=True)
    engine_request_id = models.CharField(max_length=64, blank=True)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(max_length=64)
    source_language = models.CharField(max_length=8)
    target_language = models.CharField(max_length=8)
    source_digest = models.CharField(max_length=64)
    state = models.CharField(max_length=10, choices=State.choices, default="pending")
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.engine} {self.reference} {self.state}"


class Assignment(OrganisationOwned):
    """Who translates one field of one object into one language, and by when."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(max_length=64)
    language = models.CharField(max_length=8)
    assignee = models.ForeignKey(
        "core.User",
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due = models.DateField(_("due by"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language"],
                name="assignment_once_per_language_version",
            )
        ]
        indexes = [models.Index(fields=["organisation", "language", "assignee"])]
        verbose_name = _("translation assignment")
        verbose_name_plural = _("translation assignments")

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id}.{self.field}[{self.language}]"


class WorkOrigin(models.TextChoices):
    """Who did the work, as partners share its cost."""

    MEMORY = "memory", _("translation memory")
    MACHINE = "machine", _("machine translation")
    HUMAN = "human", _("our translators")
    AGENCY = "agency", _("translation agency")


class TranslatedWords(OrganisationOwned):
    """One language version written, counted in words of its source: the ledger from which the
    monthly figures per language and origin are summed (rows are never changed)."""

    language = models.CharField(max_length=8)
    source_language = models.CharField(max_length=8)
    origin = models.CharField(max_length=10, choices=WorkOrigin.choices)
    engine = models.CharField(max_length=100, blank=True)
    words = models.PositiveIntegerField()
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(max_length=64)
    by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "at"])]
        verbose_name = _("translated words")
        verbose_name_plural = _("translated words")

    def __str__(self) -> str:
        return f"{self.language} {self.origin} {self.words}"


class PretranslationRun(OrganisationOwned):
    """A background pre-translation of many texts, with its progress for the page to show."""

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting to start")
        RUNNING = "running", _("running")
        DONE = "done", _("finished")
        FAILED = "failed", _("stopped by an error")

    language = models.CharField(max_length=8)
    # The unit ids ("<app.model>:<pk>:<field>") chosen when the run was requested.
    units = models.JSONField(default=list)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    pending = models.PositiveIntegerField(default=0)  # sent to an asynchronous engine
    problems = models.JSONField(default=list)  # [[unit id, message], …], the first 50
    state = models.CharField(max_length=10, choices=State.choices, default="queued")
    requested_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.language} {self.done}/{self.total} {self.state}"

    @property
    def percent(self) -> int:
        processed = self.done + self.failed + self.pending
        return round(100 * processed / self.total) if self.total else 100
