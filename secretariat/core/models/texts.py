"""Storage of translatable content.

Decision (see shared/research/multilingual.md): the text of every language lives in one JSON map
per field on the row itself, ``{"fr": "…", "de": "…"}``, so that reading a list needs no join and
an organisation's languages need no migration. The workflow state of each language version
(origin, source digest, review) lives in the side table ``TextVersion``, one row per object,
field and language, so that translation queues are plain indexed queries across all models.
"""

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from secretariat.core.models.owned import OrganisationOwned


class TranslatableField(models.JSONField):
    """A map of language code to text; the languages allowed are the organisation's."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("default", None)
        kwargs.pop("blank", None)
        return name, path, args, kwargs


class Origin(models.TextChoices):
    AUTHOR = "author", _("written by the author")
    MACHINE = "machine", _("machine translation")
    HUMAN = "human", _("human translation")
    IMPORT = "import", _("imported")


class TextVersion(OrganisationOwned):
    """The state of one language version of one translatable field of one object."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(max_length=64)
    language = models.CharField(max_length=8)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.AUTHOR)
    engine = models.CharField(max_length=100, blank=True)
    # Empty for the original; otherwise the language this version was translated from.
    source_language = models.CharField(max_length=8, blank=True)
    # Digest of the source text this version was made from; compared with the current source's
    # text_digest it tells whether the version is outdated, in SQL as well as in Python.
    source_digest = models.CharField(max_length=64, blank=True)
    text_digest = models.CharField(max_length=64)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language"],
                name="textversion_unique_language_per_field",
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "language", "origin"]),
            # The translation queue walks an organisation's originals, newest change first.
            models.Index(
                fields=["organisation", "source_language", "-updated_at"],
                name="textversion_queue_order",
            ),
        ]
        verbose_name = _("language version")
        verbose_name_plural = _("language versions")

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id}.{self.field}[{self.language}]"
