"""Demo meetings built through the services, dated relative to the day of loading: a held
QuattroPole general assembly with minutes and decisions, an upcoming Summit of the Greater
Region ready to be convened, and a Eurometropolis bureau meeting with a decision followed up."""

import datetime
import zoneinfo
from typing import Any

from django.utils import timezone

from secretariat.core.models import Organisation
from secretariat.governance import agenda, attendance, convocation, decisions
from secretariat.governance.models import Body, Decision, ItemKind, Meeting, MeetingState

LU = zoneinfo.ZoneInfo("Europe/Luxembourg")
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def _thursday(offset_days: int) -> datetime.date:
    day = timezone.localdate() + datetime.timedelta(days=offset_days)
    return day + datetime.timedelta(days=(3 - day.weekday()) % 7)


def _at(day: datetime.date, hour: int, tz: zoneinfo.ZoneInfo) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=tz)


def _exists(body: Body, title: dict[str, str]) -> bool:
    return Meeting.objects.filter(body=body, title=title).exists()


def quattropole_assembly(organisation: Organisation) -> None:
    body = Body.objects.get(organisation=organisation, short_code="AG")
    title = {"fr": "Assemblée générale d'automne", "de": "Herbst-Mitgliederversammlung"}
    if _exists(body, title):
        return
    day = _thursday(-45)
    meeting = agenda.meeting_plan(
        body=body,
        by=None,
        title=title,
        start=_at(day, 17, LU),
        end=_at(day, 19, LU),
        place="Hôtel de Ville de Metz",
        room="Grand Salon",
        address="1 place d'Armes, 57000 Metz",
    )
    items = [
        (
            ItemKind.INFORMATION,
            {
                "fr": "Ouverture et adoption de l'ordre du jour",
                "de": "Eröffnung und Annahme der Tagesordnung",
            },
            {},
        ),
        (
            ItemKind.INFORMATION,
            {
                "fr": "Rapport d'activité de la présidence messine",
                "de": "Tätigkeitsbericht der Metzer Präsidentschaft",
            },
            {},
        ),
        (
            ItemKind.DECISION,
            {"fr": "Budget 2027 de l'association", "de": "Haushalt 2027 des Vereins"},
            {
                "fr": "L'Assemblée générale adopte le budget 2027 tel que présenté par le Secrétariat général.",
                "de": "Die Mitgliederversammlung beschließt den vom Generalsekretariat vorgelegten Haushalt 2027.",
            },
        ),
        (
            ItemKind.DECISION,
            {
                "fr": "Programme de travail 2027 des groupes de projet",
                "de": "Arbeitsprogramm 2027 der Projektgruppen",
            },
            {
                "fr": "L'Assemblée générale approuve le programme de travail 2027 et charge le Directoire de sa mise en œuvre.",
                "de": "Die Mitgliederversammlung billigt das Arbeitsprogramm 2027 und beauftragt den Vorstand mit seiner Umsetzung.",
            },
        ),
    ]
    created = [
        agenda.item_add(meeting=meeting, by=None, kind=kind, title=item_title, draft_decision=draft)
        for kind, item_title, draft in items
    ]
    convocation.meeting_convene(
        meeting=meeting, by=None, deliver=False, today=day - datetime.timedelta(days=21)
    )
    invitations = list(meeting.invitations.select_related("membership").order_by("id"))
    voting = [
        i
        for i in invitations
        if i.membership and i.membership.voting and i.membership.role != "substitute"
    ]
    present, absent = voting[:38], voting[38:]
    for invitation in present:
        attendance.invitation_answer(invitation=invitation, answer="in_person", by=None)
        decisions.invitation_arrive(invitation=invitation, by=None)
    for giver, holder in zip(absent[:3], present[:3], strict=False):
        attendance.invitation_answer(invitation=giver, answer="proxy", proxy_to=holder, by=None)
    for invitation in absent[3:]:
        attendance.invitation_answer(invitation=invitation, answer="excused", by=None)
    decisions.vote_record(item=created[2], by=None, yes=37, no=2, abstain=2)
    decisions.vote_record(item=created[3], by=None, yes=41, no=0, abstain=0)
    minutes = {
        0: {
            "fr": "La présidente ouvre la séance à 17 h 05 et constate que le quorum est atteint. L'ordre du jour est adopté.",
            "de": "Die Präsidentin eröffnet die Sitzung um 17.05 Uhr und stellt die Beschlussfähigkeit fest. Die Tagesordnung wird angenommen.",
        },
        1: {
            "fr": "La présidence présente les actions menées : marché de Noël commun, rencontres des offices de tourisme, échanges sur l'inclusion.",
            "de": "Die Präsidentschaft stellt die Maßnahmen vor: gemeinsamer Weihnachtsmarkt, Treffen der Tourismusbüros, Austausch zur Inklusion.",
        },
        2: {
            "fr": "Après débat, le budget 2027 est adopté.",
            "de": "Nach Aussprache wird der Haushalt 2027 beschlossen.",
        },
        3: {
            "fr": "Le programme de travail 2027 est approuvé à l'unanimité des votants.",
            "de": "Das Arbeitsprogramm 2027 wird einstimmig gebilligt.",
        },
    }
    for index, text in minutes.items():
        agenda.item_update(item=created[index], by=None, minutes=text)
    convocation.meeting_set_state(meeting=meeting, state=MeetingState.HELD, by=None)


def summit_upcoming(organisation: Organisation) -> None:
    body = Body.objects.get(organisation=organisation, short_code="SOM")
    title = {
        "fr": "Sommet des Exécutifs de la Grande Région",
        "de": "Gipfel der Exekutiven der Großregion",
    }
    if _exists(body, title):
        return
    day = _thursday(40)
    meeting = agenda.meeting_plan(
        body=body,
        by=None,
        title=title,
        start=_at(day, 10, LU),
        end=_at(day, 13, LU),
        place="Maison de la Grande Région",
        address="11, boulevard J.F. Kennedy, L-4170 Esch-sur-Alzette",
        mode="hybrid",
        online_url="https://visio.granderegion.example/sommet",
    )
    agenda.item_add(
        meeting=meeting,
        by=None,
        title={
            "fr": "Accueil par la présidence wallonne",
            "de": "Begrüßung durch den wallonischen Vorsitz",
        },
    )
    agenda.item_add(
        meeting=meeting,
        by=None,
        kind=ItemKind.DECISION,
        title={
            "fr": "Déclaration commune sur la mobilité transfrontalière",
            "de": "Gemeinsame Erklärung zur grenzüberschreitenden Mobilität",
        },
        draft_decision={
            "fr": "Les Exécutifs adoptent la déclaration commune sur la mobilité transfrontalière et chargent le Collège des représentants personnels de son suivi.",
            "de": "Die Exekutiven verabschieden die gemeinsame Erklärung zur grenzüberschreitenden Mobilität und beauftragen das Gremium der persönlichen Beauftragten mit der Umsetzung.",
        },
    )
    agenda.item_add(
        meeting=meeting,
        by=None,
        kind=ItemKind.DECISION,
        title={
            "fr": "Appel 2027 du Fonds de coopération",
            "de": "Aufruf 2027 des Kooperationsfonds",
        },
        draft_decision={
            "fr": "Les Exécutifs approuvent le lancement de l'appel 2027 du Fonds de coopération.",
            "de": "Die Exekutiven billigen den Start des Aufrufs 2027 des Kooperationsfonds.",
        },
    )
    agenda.item_add(
        meeting=meeting,
        by=None,
        title={"fr": "Passation de la présidence", "de": "Übergabe des Vorsitzes"},
    )


def eurometropolis_bureau(organisation: Organisation) -> None:
    body = Body.objects.get(organisation=organisation, short_code="BUR")
    title = {"fr": "Bureau de l'Eurométropole", "nl": "Bureau van de Eurometropool"}
    if _exists(body, title):
        return
    day = _thursday(-25)
    meeting = agenda.meeting_plan(
        body=body,
        by=None,
        title=title,
        start=_at(day, 14, PARIS),
        end=_at(day, 16, PARIS),
        timezone="Europe/Paris",
        place="Agence de l'Eurométropole",
        address="Doorniksestraat 63, 8500 Kortrijk",
    )
    item = agenda.item_add(
        meeting=meeting,
        by=None,
        kind=ItemKind.DECISION,
        title={
            "fr": "Lancement du groupe action « Parc Bleu » 2027",
            "nl": "Start van de actiegroep 'Blauwe Park' 2027",
        },
        draft_decision={
            "fr": "Le Bureau approuve le plan d'action 2027 du Parc Bleu et son financement.",
            "nl": "Het Bureau keurt het actieplan 2027 van het Blauwe Park en de financiering ervan goed.",
        },
    )
    convocation.meeting_convene(
        meeting=meeting, by=None, deliver=False, today=day - datetime.timedelta(days=20)
    )
    for invitation in meeting.invitations.all():
        attendance.invitation_answer(invitation=invitation, answer="in_person", by=None)
        decisions.invitation_arrive(invitation=invitation, by=None)
    count = len(attendance.seats_of(meeting))
    decisions.vote_record(item=item, by=None, yes=count - 1, no=0, abstain=1)
    decision = Decision.objects.get(item=item)
    members = list(meeting.invitations.select_related("person", "membership__partner")[:2])
    due = timezone.localdate() + datetime.timedelta(days=30)
    owner: dict[str, Any] = {
        "owner_person": members[0].person,
        "owner_partner": members[0].membership.partner if members[0].membership else None,
    }
    decisions.action_create(
        decision=decision,
        by=None,
        title={
            "fr": "Réunir les partenaires du Parc Bleu",
            "nl": "De partners van het Blauwe Park samenbrengen",
        },
        due=due,
        status="in_progress",
        progress=40,
        **owner,
    )
    decisions.action_create(
        decision=decision,
        by=None,
        title={
            "fr": "Publier le plan d'action sur le site",
            "nl": "Het actieplan op de website publiceren",
        },
        owner_person=members[1].person,
        due=timezone.localdate() - datetime.timedelta(days=3),
    )
    convocation.meeting_set_state(meeting=meeting, state=MeetingState.HELD, by=None)


def load_meetings() -> None:
    builders = {
        "quattropole": quattropole_assembly,
        "sommet-grande-region": summit_upcoming,
        "eurometropole": eurometropolis_bureau,
    }
    for slug, build in builders.items():
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is not None:
            build(organisation)
