from typing import Any

from django.core.management import call_command

from secretariat.core.models import AuditEntry, Organisation, User
from secretariat.governance.models import Body, Membership
from secretariat.network.models import Partner, Person


def test_loaddemo_builds_the_four_organisations_from_the_seeds_and_is_idempotent(
    db: Any, capsys: Any, monkeypatch: Any
) -> None:
    monkeypatch.setenv("DEMO_PASSWORD", "demo-password-2026")
    call_command("loaddemo")
    out = capsys.readouterr().out
    assert "admin@secretariat.example" in out
    organisations = {o.slug: o for o in Organisation.objects.all()}
    assert set(organisations) == {"quattropole", "sommet-grande-region", "eurometropole", "cemr"}
    assert organisations["quattropole"].languages == ["fr", "de"]
    assert organisations["eurometropole"].languages == ["fr", "nl"]
    assert set(organisations["cemr"].languages) == {"fr", "en"}

    qp = organisations["quattropole"]
    assert Partner.objects.filter(organisation=qp).count() == 4
    assembly = Body.objects.get(organisation=qp, kind="general_assembly")
    voting = Membership.objects.filter(body=assembly, voting=True, end__isnull=True)
    assert voting.count() == 44
    board = Body.objects.get(organisation=qp, kind="board")
    assert board.name == {"fr": "Directoire", "de": "Vorstand"}
    assert Membership.objects.filter(body=board).count() == 4
    assert Partner.objects.filter(organisation=organisations["sommet-grande-region"]).count() == 11
    euro = organisations["eurometropole"]
    assert Partner.objects.filter(organisation=euro).count() == 14
    for group in Body.objects.filter(organisation=euro, kind="action_group"):
        assert Membership.objects.filter(body=group, role="co_lead").count() == 2, group
    assert (
        Partner.objects.filter(
            organisation=organisations["cemr"], kind="national_association"
        ).count()
        >= 30
    )
    for org in organisations.values():
        for partner in Partner.objects.filter(organisation=org):
            assert all(partner.name.get(lang) for lang in org.languages), partner
    assert all(
        p.emails.get().email.endswith(".example")
        for p in Person.objects.prefetch_related("emails")[:50]
    )
    admin = User.objects.get(email="admin@secretariat.example")
    assert admin.check_password("demo-password-2026")
    assert admin.roles.count() == 4

    from secretariat.governance import convocation
    from secretariat.governance.models import Decision, FollowUpAction, Meeting

    assembly = Meeting.objects.get(body__organisation=qp, body__short_code="AG", state="held")
    assert assembly.decisions.count() == 2
    assert all(item.minutes.get("fr") and item.minutes.get("de") for item in assembly.items.all())
    summit = Meeting.objects.get(body__organisation=organisations["sommet-grande-region"])
    assert summit.state == "planned" and convocation.convocation_problems(summit) == []
    assert convocation.notice_of(summit).met
    bureau_decision = Decision.objects.get(body__organisation=euro)
    assert (
        bureau_decision.status == "adopted"
        and FollowUpAction.objects.filter(decision=bureau_decision).count() == 2
    )

    # Translation: glossaries, QuattroPole's memory, the spring assembly pre-translated from it.
    from secretariat.core.texts import statuses_of
    from secretariat.translation import queue
    from secretariat.translation.models import Concept, MemoryUnit, Term

    assert Term.objects.filter(concept__organisation=qp, language="de", text="Vorstand").exists()
    assert Term.objects.filter(concept__organisation=euro, language="nl", text="Doornik").exists()
    assert not Term.objects.filter(concept__organisation=euro, language="de").exists()
    assert Concept.objects.filter(organisation=organisations["cemr"]).count() >= 10
    assert MemoryUnit.objects.filter(organisation=qp, source_language="fr").count() >= 10
    spring = Meeting.objects.get(body__organisation=qp, state="planned")
    opening, report, _programme, accounts = spring.items.order_by("position")[1:5]
    assert opening.title["de"] == "Eröffnung und Annahme der Tagesordnung"
    assert statuses_of(opening)["title"]["de"] == "machine"
    assert "de" not in accounts.title and "de" not in report.title
    waiting = queue.page(qp, "de")
    assert waiting.items[0].deadline is not None  # the convocation comes first
    units = {i.unit_id for i in waiting.items}
    assert f"governance.agendaitem:{accounts.pk}:title" in units

    before = (
        Person.objects.count(),
        Membership.objects.count(),
        AuditEntry.objects.count(),
        Meeting.objects.count(),
    )
    call_command("loaddemo")
    assert (
        Person.objects.count(),
        Membership.objects.count(),
        AuditEntry.objects.count(),
        Meeting.objects.count(),
    ) == before


def test_the_console_command_wraps_django_and_runs_the_worker(tmp_path: Any) -> None:
    import os
    import subprocess
    import sys

    # A database of its own: the worker closes connections as a long-running process does. The
    # embedded setup: the database queue (tests/test_production.py runs the Redis one).
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"} | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        "SECRETARIAT_DATA_DIR": str(tmp_path),
    }

    def secretariat(*args: str) -> str:
        code = f"from secretariat.cli import main; main({list(args)!r})"
        return subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        ).stdout

    for command in ("serve", "worker", "loaddemo", "createtoken", "createorganisation", "migrate"):
        assert command in secretariat("help")
    secretariat("migrate", "-v0")
    secretariat("worker", "--once")
