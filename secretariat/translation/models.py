from django.db import models
from django.utils.translation import gettext_lazy as _


class MemoryOrigin(models.TextChoices):
    REVIEWED = "reviewed", _("reviewed translation of our own content")
    TMX = "tmx", _("imported translation memory (TMX)")
    XLIFF = "xliff", _("agency translation (XLIFF)")


class MemoryUnit(models.Model):
    """One sentence and its translation, in one direction, in an organisation's memory."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="+"
    )
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
