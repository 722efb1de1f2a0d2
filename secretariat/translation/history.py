"""How translation's audit keys read in the history (``core/history.py``): engines, glossary
and memory imports, a concept's terms; and the names of engines in the text workflow."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from secretariat.core.history import count_in, describe, name_codes, name_of
from secretariat.translation.models import EngineKind, TermStatus

name_codes("engine", {**dict(EngineKind.choices), "xliff": "XLIFF"})


def _engine(stored: Any) -> str:
    # Stored as "<kind> <address>" (translation/machine.py engine_save) or "<kind>".
    kind, _sep, address = str(stored).partition(" ")
    name = name_of("engine", kind)
    return _("%(engine)s (%(address)s)") % {"engine": name, "address": address} if address else name


def _tell_engine(before: Any, after: Any) -> str:
    if after:
        return _("Translation engine saved: %(engine)s.") % {"engine": _engine(after)}
    return _("Translation engine removed: %(engine)s.") % {"engine": _engine(before)}


def _tell_glossary(before: Any, after: Any) -> str:
    # Stored as [file name, "<concepts> / <terms>"] (translation/glossary.py glossary_import).
    # Since the import recognises known concepts: "<added> / <terms> / <updated> / <unchanged>".
    concepts, terms = count_in(after, 0), count_in(after, 1)
    if len(str(after).split("/")) == 4:
        from secretariat.translation.glossary import summarise

        return _("Glossary imported from “%(file)s”: %(summary)s") % {
            "file": before,
            "summary": summarise(concepts, terms, count_in(after, 2), count_in(after, 3)),
        }
    return _("Glossary imported from “%(file)s”: %(concepts)s, %(terms)s.") % {
        "file": before,
        "concepts": ngettext("%(count)s concept", "%(count)s concepts", concepts)
        % {"count": concepts},
        "terms": ngettext("%(count)s term", "%(count)s terms", terms) % {"count": terms},
    }


def _tell_memory(before: Any, after: Any) -> str:
    # Stored as [file name, "<units read> / <added>"] (translation/memory.py memory_import).
    units, added = count_in(after, 0), count_in(after, 1)
    return _("Translation memory imported from “%(file)s”: %(units)s, %(added)s.") % {
        "file": before,
        "units": ngettext("%(count)s unit read", "%(count)s units read", units) % {"count": units},
        "added": ngettext("%(count)s added", "%(count)s added", added) % {"count": added},
    }


describe("core.organisation", "engine", tell=_tell_engine)
describe("core.organisation", "glossary", tell=_tell_glossary)
describe("core.organisation", "memory", tell=_tell_memory)
describe("translation.concept", "terms", label=gettext_lazy("terms"))
# A concept saved keeps its terms by status (translation/glossary.py concept_save).
for _status, _label in TermStatus.choices:
    describe("translation.concept", _status, label=_label)
describe("translation.concept", "do_not_translate", label=gettext_lazy("do not translate"))
