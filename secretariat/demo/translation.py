"""Demo translation resources, through the services: each organisation's glossary of its
institutional terms, bodies, legal forms and place names; QuattroPole's memory, learnt from the
reviewed German versions of its autumn assembly; and its spring assembly, written in French,
whose recurring agenda texts are pre-translated from that memory while the new ones wait in
the queue."""

import datetime
import json
from pathlib import Path
from typing import Any

from secretariat.core import text_rules
from secretariat.core.models import Organisation
from secretariat.core.texts import text_review, translatable_fields, versions_of
from secretariat.governance import agenda
from secretariat.governance.models import Body, ItemKind, Meeting, MeetingState
from secretariat.translation import glossary, pretranslate
from secretariat.translation.models import Concept, PretranslationRun

DATA = Path(__file__).parent / "data" / "glossary.json"


def load_glossaries(organisations: list[Organisation]) -> None:
    concepts = json.loads(DATA.read_text(encoding="utf-8"))["concepts"]
    for organisation in organisations:
        if Concept.objects.filter(organisation=organisation).exists():
            continue
        for concept in concepts:
            if "all" not in concept["for"] and organisation.slug not in concept["for"]:
                continue
            terms: list[tuple[str, str, str]] = []
            for language in organisation.languages:
                for n, text in enumerate(concept.get(language, [])):
                    terms.append((language, text, "preferred" if n == 0 else "admitted"))
                for status in ("deprecated", "forbidden"):
                    terms += [
                        (language, t, status) for t in concept.get(f"{language}-{status}", [])
                    ]
            if len({language for language, _t, _s in terms}) < 2:
                continue  # a term in one language only helps no translator
            glossary.concept_save(
                organisation=organisation,
                concept=None,
                terms=terms,
                by=None,
                do_not_translate=bool(concept.get("keep")),
                note=concept.get("note", ""),
                domain=concept.get("domain", ""),
            )


def _review_all(obj: Any, language: str) -> None:
    versions = versions_of(obj)
    for name in translatable_fields(type(obj)):
        status = text_rules.status_of(language, versions[name])
        if status in (text_rules.Status.UNREVIEWED, text_rules.Status.MACHINE):
            text_review(obj=obj, field_name=name, language=language, by=None)


def quattropole_spring_assembly(organisation: Organisation, today: datetime.date) -> None:
    body = Body.objects.get(organisation=organisation, short_code="AG")
    autumn = Meeting.objects.filter(body=body, state=MeetingState.HELD).order_by("-start").first()
    if autumn is None:
        return
    # The secretariat reviewed last autumn's German texts: the memory has learnt them.
    for obj in [autumn, *autumn.items.all()]:
        _review_all(obj, "de")
    title = {"fr": "Assemblée générale de printemps"}
    if Meeting.objects.filter(body=body, title=title).exists():
        return
    from secretariat.demo.meetings import LU, _at, _thursday

    day = _thursday(60)
    meeting = agenda.meeting_plan(
        body=body,
        by=None,
        title=title,
        start=_at(day, 17, LU),
        end=_at(day, 19, LU),
        place="Rathaus Saarbrücken",
        room="Festsaal",
        address="Rathausplatz 1, 66111 Saarbrücken",
    )
    items = [
        (ItemKind.INFORMATION, {"fr": "Ouverture et adoption de l'ordre du jour"}, {}),
        (
            ItemKind.INFORMATION,
            {"fr": "Rapport d'activité de la présidence sarrebruckoise"},
            {},
        ),
        (
            ItemKind.DECISION,
            {"fr": "Programme de travail 2027 des groupes de projet"},
            {
                "fr": "L'Assemblée générale approuve le programme de travail 2027 et charge "
                "le Directoire de sa mise en œuvre."
            },
        ),
        (
            ItemKind.DECISION,
            {"fr": "Comptes 2026 de l'association"},
            {
                "fr": "L'Assemblée générale approuve les comptes 2026 et donne décharge au "
                "Directoire."
            },
        ),
    ]
    created = [
        agenda.item_add(meeting=meeting, by=None, kind=kind, title=item_title, draft_decision=draft)
        for kind, item_title, draft in items
    ]
    units = [u for obj in [meeting, *created] for u in pretranslate.units_of_object(obj, "de")]
    run = PretranslationRun.objects.create(
        organisation=organisation, language="de", units=units, total=len(units)
    )
    pretranslate.execute(run)


def load_translation(organisations: list[Organisation], today: datetime.date) -> None:
    load_glossaries(organisations)
    quattropole = next((o for o in organisations if o.slug == "quattropole"), None)
    if quattropole is not None:
        quattropole_spring_assembly(quattropole, today)
