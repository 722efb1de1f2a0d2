"""Core shows and runs what the apps register (header sections, home page panels, daily jobs,
document kinds, reviewable and bundled texts) without knowing the apps: the pages read as
they did when core listed the apps itself."""

import datetime
import io
import re
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from secretariat.core import daily, dashboard, navigation, permissions
from secretariat.core.access import access_for
from secretariat.documents import kinds
from tests import factories

EVERY_SECTION = [
    "partner_list",
    "person_list",
    "body_list",
    "meeting_list",
    "register",
    "presidency",
    "translation_queue",
    "organisation_settings",
    "document_templates",
    "organisation_roles",
]


def _header(html: str) -> list[str]:
    nav = html.split('<nav aria-label="', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a href="([^"]+)"', nav)


@pytest.mark.parametrize(
    ("kind", "hidden"),
    [
        ("admin", set()),
        ("staff", {"organisation_settings", "document_templates", "organisation_roles"}),
        (
            "member",
            {
                "person_list",
                "translation_queue",
                "organisation_settings",
                "document_templates",
                "organisation_roles",
            },
        ),
    ],
)
def test_the_header_shows_the_registered_sections_the_reader_may_open_in_their_order(
    client: Client, org: Any, kind: str, hidden: set[str]
) -> None:
    client.force_login(factories.member_of(org, kind))
    html = client.get(reverse("dashboard", args=[org.slug])).content.decode()
    expected = [reverse(name, args=[org.slug]) for name in EVERY_SECTION if name not in hidden]
    assert _header(html) == [reverse("dashboard", args=[org.slug]), *expected]


def test_a_section_is_offered_by_the_permission_the_app_registered(org: Any) -> None:
    member = factories.member_of(org, "member")
    allowed = permissions.allowed(access_for(member, org.slug))
    names = [link.url for link in navigation.links(org.slug, allowed)]
    assert reverse("person_list", args=[org.slug]) not in names
    assert names[0] == reverse("partner_list", args=[org.slug])
    entry = navigation.ENTRIES["person_list"]
    assert entry.permission is not None and not allowed[entry.permission.name.lower()]


@pytest.mark.time_machine(datetime.datetime(2026, 6, 10, 9, 0, tzinfo=datetime.UTC))
def test_the_home_page_shows_the_apps_panels_in_their_slots(client: Client, org: Any) -> None:
    from secretariat.governance import agenda, convocation
    from secretariat.governance import services as governance
    from secretariat.governance.models import Delivery

    partner = factories.partner(org, name={"fr": "Ville de Metz", "de": "Stadt Metz"})
    person = factories.person(org, given_name="Claire", family_name="Weber")
    body = factories.body(org, name={"fr": "Directoire", "de": "Vorstand"})
    factories.membership(body, person, partner=partner, role="chair")
    governance.presidency_create(
        organisation=org,
        partner=partner,
        president=person,
        start="2026-01-01",
        end="2026-12-31",
        by=None,
    )
    meeting = factories.meeting(body, title={"fr": "Réunion", "de": "Sitzung"})
    agenda.item_add(meeting=meeting, by=None, title={"fr": "Budget", "de": "Haushalt"})
    convocation.meeting_convene(meeting=meeting, by=None)
    Delivery.objects.update(queued_at=timezone.now() - datetime.timedelta(hours=1))

    client.force_login(factories.member_of(org, "staff"))
    html = client.get(reverse("dashboard", args=[org.slug])).content.decode()
    notice, rest = html.split("<h1>", 1)
    assert "mail-waiting" in notice  # governance's notice, above the title
    facts = rest.split('<dl class="facts">', 1)[1].split("</dl>", 1)[0]
    assert re.findall(r"<dt>([^<]+)</dt>", facts) == [
        "Legal form",
        "Seat",
        "Working languages",
        "Presidency",
    ]
    assert '<span lang="fr">Ville de Metz</span> — Claire Weber (2026–2026)' in facts
    cards = rest.split('<ul class="cards counts">', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r"<strong>(\d+)</strong> (\w+)", cards) == [
        ("1", "partners"),
        ("1", "people"),
        ("1", "bodies"),
    ]

    client.force_login(factories.member_of(org, "member"))
    html = client.get(reverse("dashboard", args=[org.slug])).content.decode()
    assert "mail-waiting" not in html  # registered for those who convene only
    cards = html.split('<ul class="cards counts">', 1)[1].split("</ul>", 1)[0]
    assert [label for _count, label in re.findall(r"<strong>(\d+)</strong> (\w+)", cards)] == [
        "partners",
        "bodies",
    ]


def test_panels_come_in_the_order_they_were_registered_with(org: Any, monkeypatch: Any) -> None:
    """A new app's panel takes its place by its order number, whatever the order of the apps."""
    monkeypatch.setitem(
        dashboard.PANELS,
        "tests.first",
        dashboard.Panel(
            "tests.first",
            dashboard.Slot.COUNT,
            1,
            "governance/partials/home_bodies.html",
            lambda access: {"bodies": 7},
        ),
    )
    access = access_for(factories.member_of(org, "admin"), org.slug)
    counts = dashboard.shown(access)["count"]
    assert [shown.template for shown in counts] == [
        "governance/partials/home_bodies.html",
        "network/partials/home_counts.html",
        "governance/partials/home_bodies.html",
    ]
    assert counts[0].context == {"bodies": 7}


def test_the_daily_command_runs_every_registered_job(org: Any, partner_job: Any) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command("daily", stdout=out, stderr=err)
    lines = out.getvalue().splitlines()
    name = org.short_name
    assert lines[0].startswith(f"{name}: Reminders queued for 0 members")  # governance, 100
    assert lines[1] == f"{name}: 1 machine translations without an answer marked failed."  # 800
    assert err.getvalue() == ""
    # The former name runs the same jobs (cron entries written for it keep working).
    partner_job()
    out = io.StringIO()
    call_command("reminders", stdout=out)
    assert out.getvalue().splitlines()[1] == lines[1]


@pytest.fixture
def partner_job(org: Any) -> Any:
    """A machine translation whose engine never called back (translation's daily job gives it
    up); called again, another one."""
    from django.contrib.contenttypes.models import ContentType

    from secretariat.translation.models import MachineJob

    partner = factories.partner(org)

    def make() -> None:
        job = MachineJob.objects.create(
            organisation=org,
            engine="etranslation",
            reference=f"late-{MachineJob.objects.count()}",
            content_type=ContentType.objects.get_for_model(partner),
            object_id=partner.pk,
            field="name",
            source_language="fr",
            target_language="de",
            source_digest="x",
        )
        MachineJob.objects.filter(pk=job.pk).update(
            requested_at=timezone.now() - datetime.timedelta(hours=25)
        )

    make()
    return make


def test_a_daily_job_that_stops_does_not_stop_the_others(
    org: Any, monkeypatch: Any, caplog: Any
) -> None:
    def broken() -> daily.Outcome:
        raise RuntimeError("the server is away")

    monkeypatch.setitem(daily.JOBS, "tests.broken", daily.Job("tests.broken", broken, 1))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match=r"tests\.broken"):
        call_command("daily", stdout=out, stderr=err)
    assert "tests.broken stopped with an error" in err.getvalue()
    # The jobs after it ran.
    assert "machine translations without an answer marked failed" in out.getvalue()
    assert any("the server is away" in str(r.exc_info) for r in caplog.records)


def test_the_document_kinds_are_the_ones_the_apps_registered(
    client: Client, org: Any, admin: Any
) -> None:
    assert [code for code, _label in kinds.choices()] == ["convocation", "dossier", "minutes"]
    for kind in kinds.ordered():
        assert kind.default_template(False).is_file() and kind.default_template(True).is_file()
    client.force_login(admin)
    html = client.get(reverse("document_templates", args=[org.slug])).content.decode()
    for code in ("convocation", "dossier", "minutes"):
        assert reverse("default_template", args=[org.slug, f"{code}_bilingual.docx"]) in html
    response = client.post(
        reverse("document_templates", args=[org.slug]),
        {"kind": "invoice", "language": "", "file": io.BytesIO(b"x")},
    )
    assert response.status_code == 400  # not a registered kind


def test_only_the_registered_kinds_have_their_texts_reviewed_on_their_pages(
    client: Client, org: Any, staff: Any
) -> None:
    body = factories.body(org, name={"fr": "Directoire", "de": "Vorstand"})
    meeting = factories.meeting(body, title={"fr": "Réunion", "de": "Sitzung"})
    client.force_login(staff)
    url = reverse("text_review", args=[org.slug])
    data = {"field": "name", "language": "de", "model": "governance.body", "pk": body.pk}
    assert client.post(url, data).status_code == 302
    data |= {"field": "title", "model": "governance.meeting", "pk": meeting.pk}
    assert client.post(url, data).status_code == 404
