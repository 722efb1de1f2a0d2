from typing import Any

from secretariat.translation.memory import memory_add
from secretariat.translation.models import MemoryOrigin


def learn_reviewed_translation(
    sender: Any,
    *,
    obj: Any,
    field: str,
    language: str,
    text: str,
    source_language: str,
    source_text: str,
    **kwargs: Any,
) -> None:
    """A reviewed translation of the organisation's own content enters its memory."""
    memory_add(
        organisation=obj.organisation,
        source_language=source_language,
        target_language=language,
        source=source_text,
        target=text,
        origin=MemoryOrigin.REVIEWED,
        note=f"{obj._meta.label_lower}:{obj.pk}:{field}",
    )
