"""How the audit trail reads. Entries hold what their service stored (``core/writes.py`` and
the services of each app); they are rendered here at read time, in the reader's language (the
active one), with times in the organisation's time zone: the models' names for their fields,
the labels of choices, dates in the reader's format, translatable fields one language at a time,
and never an internal key, id or code.

Keys that are not fields of the model (a convocation sent, an agenda reordered, an import) are
described by the app that records them, in a ``history`` module of its own that Django loads at
start-up (``CoreConfig.ready``): core knows no app."""

import datetime
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from secretariat.core.models import AuditEntry, RoleKind
from secretariat.core.models.texts import TranslatableField
from secretariat.core.texts import language_name, language_name_in_sentence

EMPTY = "—"
# A foreign key is stored as "label (#pk)": readable, and unambiguous after a rename.
FOREIGN_KEY = re.compile(r"^(?P<label>.*) \(#\d+\)$")
# What the text workflow records on a translatable field besides its texts: a machine
# translation ("de: deepl") and an assignment ("anna@example.org 2027-02-01", "—").
MACHINE = re.compile(r"^(?P<language>[a-z]{2,3}): (?P<engine>\S+)$")
ASSIGNMENT = re.compile(r"^(?P<who>\S+)(?: (?P<due>\d{4}-\d{2}-\d{2}))?$")
LANGUAGE_FIELDS = {"language", "languages", "default_language", "source_language"}


@dataclass(frozen=True)
class Change:
    """One line under an entry: a value that changed (``before`` None: a value set where
    there was none; ``after`` None: a value removed), or a ``sentence``."""

    label: str = ""
    before: str | None = None
    after: str | None = None
    sentence: str = ""

    def html(self) -> SafeString:
        if self.sentence:
            return conditional_escape(self.sentence)
        label = conditional_escape(self.label)
        if self.before is not None and self.after is not None:
            pattern = _("%(label)s: %(before)s → %(after)s")
            return mark_safe(
                conditional_escape(pattern)
                % {
                    "label": label,
                    "before": format_html("<del>{}</del>", self.before),
                    "after": format_html("<ins>{}</ins>", self.after),
                }
            )
        if self.after is not None:
            value = format_html("<ins>{}</ins>", self.after)
        else:
            value = format_html("<del>{}</del>", self.before or EMPTY)
        return mark_safe(
            conditional_escape(_("%(label)s: %(value)s")) % {"label": label, "value": value}
        )


@dataclass(frozen=True)
class Line:
    """An entry as a reader sees it."""

    at: datetime.datetime  # in the organisation's time zone
    summary: str
    changes: list[Change]

    @property
    def at_text(self) -> str:
        return formats.date_format(self.at, "SHORT_DATETIME_FORMAT")


@dataclass(frozen=True)
class Reader:
    """What reading needs besides the active language."""

    tzinfo: datetime.tzinfo
    languages: Iterable[str] = ()


# Registry --------------------------------------------------------------------------------------

Teller = Callable[[Any, Any], str]  # (before, after) -> the change as a sentence


@dataclass(frozen=True)
class Key:
    label: Any = None  # the key's name for readers (lazy text); else the field's verbose name
    value: Callable[[Any], str] | None = None  # one stored value as text
    tell: Teller | None = None  # the whole change as a sentence


_KEYS: dict[tuple[str, str], Key] = {}
_NAMES: dict[str, Mapping[str, Any]] = {}


def describe(
    model: str,
    key: str,
    *,
    label: Any = None,
    value: Callable[[Any], str] | None = None,
    tell: Teller | None = None,
) -> None:
    """Say how entries of ``model`` ("app_label.model") read the stored ``key``: a key that
    is not a field, or a field whose values need more than the field knows (a country)."""
    _KEYS[(model, key)] = Key(label, value, tell)


def name_codes(vocabulary: str, names: Mapping[str, Any]) -> None:
    """Readers' names for the codes of a ``vocabulary`` the text workflow records (engines)."""
    _NAMES[vocabulary] = names


def name_of(vocabulary: str, code: str) -> str:
    return str(_NAMES.get(vocabulary, {}).get(code, code))


# Values ----------------------------------------------------------------------------------------


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _ordered(keys: Iterable[str], languages: Iterable[str]) -> list[str]:
    # Maps from PostgreSQL come back in jsonb's own key order: show the organisation's.
    keys, languages = list(keys), list(languages)
    return [k for k in languages if k in keys] + sorted(k for k in keys if k not in languages)


def _is_language_map(value: Any) -> bool:
    known = dict(settings.CONTENT_LANGUAGES)
    return isinstance(value, dict) and bool(value) and all(k in known for k in value)


def _date(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _moment(value: Any, reader: Reader) -> str | None:
    try:
        moment = datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment, reader.tzinfo)
    return formats.date_format(moment, "DATETIME_FORMAT")


def value_text(field: Any, value: Any, reader: Reader) -> str:
    """One stored value of ``field`` (None: not a field) as its reader knows it."""
    if _empty(value):
        return EMPTY
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(value_text(field, v, reader) for v in value)
    if isinstance(value, dict):
        return " · ".join(
            _("%(label)s: %(value)s")
            % {"label": language_name(k), "value": value_text(None, value[k], reader)}
            for k in _ordered(value, reader.languages)
        )
    if field is not None:
        choices = dict(field.flatchoices) if getattr(field, "choices", None) else {}
        if value in choices:
            return str(choices[value])
        if isinstance(field, models.DateTimeField):
            return _moment(value, reader) or str(value)
        if isinstance(field, models.DateField):
            day = _date(value)
            return formats.date_format(day, "DATE_FORMAT") if day else str(value)
        if isinstance(field, models.DecimalField):
            try:
                number = Decimal(str(value))
            except InvalidOperation:
                return str(value)
            return formats.number_format(number, decimal_pos=field.decimal_places)
        if isinstance(field, models.ForeignKey):
            found = FOREIGN_KEY.match(str(value))
            return found["label"] if found else str(value)
        if field.name in LANGUAGE_FIELDS:
            return language_name(str(value))
    return str(value)


# Changes ---------------------------------------------------------------------------------------


def _in_language(label: str, language: str) -> str:
    return _("%(field)s (%(language)s)") % {
        "field": label,
        "language": language_name_in_sentence(language),
    }


def _pair(action: str, stored: Any) -> tuple[Any, Any]:
    """(before, after) of a stored change: updates store both, deletions the value removed."""
    if action == "delete":
        return stored, None
    if isinstance(stored, list) and len(stored) == 2:
        return stored[0], stored[1]
    return None, stored


def _shown(action: str, label: str, before: str, after: str) -> Change | None:
    """The change as shown; None where a record was created or deleted with no value here."""
    if action == "delete":
        return Change(label, before=before) if before != EMPTY else None
    if action == "update":
        return Change(label, before=before, after=after)
    return Change(label, after=after) if after != EMPTY else None  # created, imported


def _workflow(label: str, action: str, before: Any, after: Any) -> Change | None:
    """What the text workflow records on a translatable field besides texts."""
    if action == "review" and isinstance(before, str):
        return Change(_in_language(label, before), after=_("reviewed"))
    if before is None and isinstance(after, str) and (found := MACHINE.match(after)):
        engine = name_of("engine", found["engine"])
        return Change(
            _in_language(label, found["language"]),
            before=EMPTY,
            after=_("machine translation (%(engine)s)") % {"engine": engine},
        )
    if isinstance(before, str) and isinstance(after, str) and len(before) <= 3:
        found = ASSIGNMENT.match(after.strip())
        who = found["who"] if found and found["who"] != EMPTY else ""
        due = _date(found["due"]) if found and found["due"] else None
        if not who:
            text = _("no longer assigned")
        elif due:
            text = _("assigned to %(person)s, due %(date)s") % {
                "person": who,
                "date": formats.date_format(due, "DATE_FORMAT"),
            }
        else:
            text = _("assigned to %(person)s") % {"person": who}
        return Change(_in_language(label, before), after=text)
    return None


def _by_language(label: str, action: str, before: Any, after: Any, reader: Reader) -> list[Change]:
    """A map by language (a translatable field): one line per language that changed."""
    old = before if isinstance(before, dict) else {}
    new = after if isinstance(after, dict) else {}
    out = []
    for language in _ordered({*old, *new}, reader.languages):
        if old.get(language) == new.get(language) and action == "update":
            continue
        change = _shown(
            action,
            _in_language(label, language),
            value_text(None, old.get(language), reader),
            value_text(None, new.get(language), reader),
        )
        if change is not None:
            out.append(change)
    return out


def _field(model: Any, name: str) -> Any:
    try:
        return model._meta.get_field(name) if model is not None else None
    except FieldDoesNotExist:
        return None


def changes_of(entry: AuditEntry, reader: Reader) -> list[Change]:
    model = entry.content_type.model_class()
    label_lower = f"{entry.content_type.app_label}.{entry.content_type.model}"
    out: list[Change] = []
    for name, stored in (entry.changes or {}).items():
        before, after = _pair(entry.action, stored)
        key = _KEYS.get((label_lower, name), Key())
        if key.tell is not None:
            out.append(Change(sentence=key.tell(before, after)))
            continue
        field = _field(model, name)
        label = capfirst(
            str(key.label or getattr(field, "verbose_name", "") or name.replace("_", " "))
        )
        if isinstance(field, TranslatableField):
            change = _workflow(label, entry.action, before, after)
            if change is not None:
                out.append(change)
                continue
        if (isinstance(field, TranslatableField) and isinstance(before or after, dict)) or (
            _is_language_map(before) or _is_language_map(after)
        ):
            out.extend(_by_language(label, entry.action, before, after, reader))
            continue
        if key.value is not None:
            shown_before = EMPTY if _empty(before) else key.value(before)
            shown_after = EMPTY if _empty(after) else key.value(after)
        else:
            shown_before = value_text(field, before, reader)
            shown_after = value_text(field, after, reader)
        change = _shown(entry.action, label, shown_before, shown_after)
        if change is not None:
            out.append(change)
    return out


# Entries ---------------------------------------------------------------------------------------


def _summary(entry: AuditEntry) -> str:
    model = entry.content_type.model_class()
    kind = model._meta.verbose_name if model is not None else entry.content_type.name
    subject = _("“%(name)s” (%(kind)s)") % {"name": entry.object_repr, "kind": kind}
    actor = str(entry.actor) if entry.actor else pgettext("author of a change", "The system")
    sentences = {
        "create": _("%(actor)s created %(object)s."),
        "update": _("%(actor)s changed %(object)s."),
        "delete": _("%(actor)s deleted %(object)s."),
        "review": _("%(actor)s reviewed a translation of %(object)s."),
        "import": _("%(actor)s imported data into %(object)s."),
        "throttle": _("Logins to %(object)s were refused for a while after failed attempts."),
    }
    return sentences.get(entry.action, sentences["update"]) % {"actor": actor, "object": subject}


def lines(entries: Iterable[AuditEntry], *, organisation: Any = None) -> list[Line]:
    """The entries as their reader reads them; no query beyond the entries' own (with their
    actor and content type)."""
    reader = Reader(
        tzinfo=getattr(organisation, "tzinfo", None) or timezone.get_current_timezone(),
        languages=list(getattr(organisation, "languages", None) or []),
    )
    return [
        Line(
            at=timezone.localtime(entry.at, reader.tzinfo),
            summary=_summary(entry),
            changes=changes_of(entry, reader),
        )
        for entry in entries
    ]


# The keys core itself records -------------------------------------------------------------------


def _role(value: Any) -> tuple[str, str]:
    user, _sep, kind = str(value).rpartition(": ")
    labels = dict(RoleKind.choices)
    return user, str(labels.get(kind, kind))


def _tell_role(before: Any, after: Any) -> str:
    if after:
        user, role = _role(after)
        return _("%(user)s received the role “%(role)s”.") % {"user": user, "role": role}
    user, role = _role(before)
    return _("%(user)s no longer has the role “%(role)s”.") % {"user": user, "role": role}


describe("core.organisation", "roles", tell=_tell_role)


def _tell_throttled(before: Any, after: Any) -> str:
    """A login throttling episode (core/login_throttle.py stores the address and the reason)."""
    stored = after if isinstance(after, dict) else {}
    address = str(stored.get("address", EMPTY))
    reasons = {
        "address": _(
            "From the address %(address)s, after too many failed logins to several accounts."
        ),
        "account_address": _(
            "From the address %(address)s, after too many failed logins to this account."
        ),
        "account_guarded": _(
            "From the address %(address)s, which had already tried once while failed logins "
            "from many addresses put the account under guard."
        ),
    }
    return reasons.get(str(stored.get("reason")), reasons["account_address"]) % {"address": address}


describe("core.user", "throttled", tell=_tell_throttled)


def count_in(text: Any, position: int = 0) -> int:
    """The number at ``position`` in a stored summary such as "12 / 30" or "12 members"."""
    numbers = re.findall(r"\d+", str(text or ""))
    return int(numbers[position]) if len(numbers) > position else 0
