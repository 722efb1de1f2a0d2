"""The kinds of documents produced from Word templates. The app that produces a kind (governance:
convocation letters, dossiers, minutes) registers it in its ``AppConfig.ready()`` with its
default templates and builds the document's data itself; documents keeps the organisations'
own templates, fills them and knows none of the apps."""

from dataclasses import dataclass
from pathlib import Path

from django.utils.functional import Promise


@dataclass(frozen=True)
class DocumentKind:
    code: str  # stored in DocumentTemplate.kind (at most 20 characters)
    label: str | Promise  # gettext_lazy, e.g. "convocation letter"
    defaults: Path  # the folder of the default templates <code>.docx and <code>_bilingual.docx
    order: int = 100  # lower first in the lists of kinds

    def default_name(self, bilingual: bool) -> str:
        return f"{self.code}{'_bilingual' if bilingual else ''}.docx"

    def default_template(self, bilingual: bool) -> Path:
        return self.defaults / self.default_name(bilingual)


KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> None:
    KINDS[kind.code] = kind


def ordered() -> list[DocumentKind]:
    return sorted(KINDS.values(), key=lambda k: (k.order, k.code))


def choices() -> list[tuple[str, str | Promise]]:
    """The registered kinds as field choices (``DocumentTemplate.kind``, the upload form)."""
    return [(kind.code, kind.label) for kind in ordered()]


def get(code: str) -> DocumentKind | None:
    return KINDS.get(code)


def default_file(name: str) -> Path | None:
    """The default template called ``name`` (as offered for download), or None."""
    for kind in KINDS.values():
        for bilingual in (False, True):
            if kind.default_name(bilingual) == name:
                return kind.default_template(bilingual)
    return None
