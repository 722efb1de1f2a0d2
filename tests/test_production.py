"""Production paths: PostgreSQL and Redis, when they answer on this machine: the task queue on\nRedis, and a backup restored into a fresh database."""

import functools
import json
import os
import runpy
import shutil
import signal
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection

from secretariat.governance import agenda
from tests import factories
from tests.conftest import POSTGRES_UP, REDIS_UP
from tests.governance.smtp import smtp_server


@pytest.mark.skipif(not REDIS_UP, reason="Redis does not answer on 127.0.0.1:6379")
def test_the_redis_cache_backend_round_trips(settings: Any) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
        }
    }
    cache = caches.create_connection("default")
    cache.set("secretariat-test", {"fr": "Grande Région", "de": "Großregion"}, 10)
    assert cache.get("secretariat-test") == {"fr": "Grande Région", "de": "Großregion"}
    cache.delete("secretariat-test")


@pytest.mark.skipif(not POSTGRES_UP, reason="PostgreSQL does not answer on 127.0.0.1:5432")
def test_database_url_for_postgresql_is_understood() -> None:
    import environ

    config = environ.Env.db_url_config("postgres://postgres@127.0.0.1:5432/secretariat")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "secretariat"


def test_the_suite_reports_which_database_it_runs_on(db: Any) -> None:
    assert connection.vendor in {"sqlite", "postgresql"}


def _settings_with(monkeypatch: pytest.MonkeyPatch, **variables: str) -> dict[str, Any]:
    """What settings.py makes of these environment variables."""
    import secretariat.settings

    for name, value in {"SECRET_KEY": "settings read again by the test", **variables}.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(secretariat.settings.__file__)


def test_without_redis_url_tasks_wait_in_the_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    read = _settings_with(monkeypatch)
    assert read["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


@pytest.mark.skipif(not REDIS_UP, reason="Redis does not answer on 127.0.0.1:6379")
def test_with_redis_url_tasks_go_to_redis_and_the_worker_runs_them(
    transactional_db: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A convocation's sending goes to Redis and `secretariat worker --once` (RQ's worker)
    sends it. The database is committed (transactional_db): RQ's worker closes the
    connections before it works, as a long-running worker does."""
    import django_rq
    from django_tasks import default_task_backend
    from django_tasks.base import TaskResultStatus

    from secretariat.governance import convocation
    from secretariat.governance.models import Delivery, DeliveryStatus
    from secretariat.governance.tasks import send_meeting_mail

    url = "redis://127.0.0.1:6379/15"
    read = _settings_with(monkeypatch, REDIS_URL=url)
    assert read["TASKS"]["default"] == {
        "BACKEND": "django_tasks_rq.RQBackend",
        "QUEUES": ["default"],
    }
    assert read["RQ_QUEUES"]["default"]["URL"] == url
    # A queue of this test's own: several runs of the suite may share this Redis. (RQ's
    # results are read through the connection of the queue named "default".)
    queue = f"secretariat-test-{uuid.uuid4().hex}"
    settings.RQ_QUEUES = read["RQ_QUEUES"] | {queue: read["RQ_QUEUES"]["default"]}
    # The job runs in this process, which holds the test's database (an in-memory SQLite one).
    settings.RQ = {"WORKER_CLASS": "rq.worker.SimpleWorker"}

    org = factories.organisation("redis", languages=("fr", "de"))
    body = factories.body(org)
    for n in range(3):
        factories.membership(body, factories.person(org, emails=[f"m{n}@redis.example"]))
    meeting = factories.meeting(body, title={"fr": "Bureau", "de": "Vorstand"})
    agenda.item_add(meeting=meeting, by=None, title={"fr": "Ouverture", "de": "Eröffnung"})
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    assert convocation.meeting_convene(meeting=meeting, by=None) == 3
    settings.TASKS = {"default": {**read["TASKS"]["default"], "QUEUES": [queue]}}

    result = send_meeting_mail.using(queue_name=queue).enqueue(meeting.pk)
    assert django_rq.get_queue(queue).job_ids == [result.id]
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with smtp_server(settings) as box:
            call_command("worker", "--once", verbosity=0)
    finally:
        for sig, handler in handlers.items():  # RQ's worker installs its own
            signal.signal(sig, handler)
        django_rq.get_queue(queue).delete(delete_jobs=False)
    assert sorted(m["To"] for m in box.messages) == [f"m{n}@redis.example" for n in range(3)]
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    done = default_task_backend.get_result(result.id)
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.return_value == {"sent": 3, "failed": 0}
    django_rq.get_connection(queue).delete(f"rq:job:{result.id}", f"rq:results:{result.id}")


ON_POSTGRESQL = connection.vendor == "postgresql"


@pytest.mark.skipif(not ON_POSTGRESQL, reason="the suite runs on SQLite (DATABASE_URL)")
@pytest.mark.skipif(not shutil.which("pg_dump"), reason="pg_dump is not installed")
def test_a_backup_restores_into_a_fresh_database_with_its_files(
    transactional_db: Any, settings: Any, tmp_path: Path
) -> None:
    """docs/deployment.md's backup and restore, once: pg_dump of the database and an archive
    of the files; pg_restore into a new database, the files unpacked elsewhere; then the
    platform, started on the restored database and files, reads everything back."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from secretariat.governance import item_documents

    org = factories.organisation("backup", languages=("fr", "de"))
    factories.partner(org, country="FR", name={"fr": "Ville de Metz", "de": "Stadt Metz"})
    body = factories.body(org, name={"fr": "Bureau", "de": "Vorstand"})
    meeting = factories.meeting(body, title={"fr": "Bureau de mars", "de": "Vorstand im März"})
    item = agenda.item_add(meeting=meeting, by=None, title={"fr": "Budget", "de": "Haushalt"})
    annex = b"%PDF-1.7\n" + bytes(range(256))
    item_documents.document_add(
        item=item,
        by=None,
        title={"fr": "Annexe"},
        files={"fr": SimpleUploadedFile("annexe.pdf", annex)},
    )

    db = connection.settings_dict
    server = ["-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"]]
    env = os.environ | ({"PGPASSWORD": db["PASSWORD"]} if db["PASSWORD"] else {})
    dump, files = tmp_path / "secretariat.dump", tmp_path / "media.tar.gz"
    run = functools.partial(subprocess.run, check=True, env=env, capture_output=True)
    run(["pg_dump", *server, "--format=custom", "--no-owner", "--file", str(dump), db["NAME"]])
    run(["tar", "-czf", str(files), "-C", str(settings.MEDIA_ROOT), "."])

    restored, restored_media = f"{db['NAME']}_restored_{uuid.uuid4().hex[:8]}", tmp_path / "r"
    restored_media.mkdir()
    run(["createdb", *server, "--template=template0", restored])
    try:
        run(["pg_restore", *server, "--no-owner", "--exit-on-error", "-d", restored, str(dump)])
        run(["tar", "-xzf", str(files), "-C", str(restored_media)])
        read = subprocess.run(
            [sys.executable, "-c", READ_BACK],
            env=env
            | {
                "DATABASE_URL": "postgres://{}@{}:{}/{}".format(
                    db["USER"], server[1], server[3], restored
                ),
                "MEDIA_ROOT": str(restored_media),
                "SECRETARIAT_DATA_DIR": str(tmp_path),
                "DJANGO_SETTINGS_MODULE": "secretariat.settings",
            },
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        run(["dropdb", *server, "--if-exists", restored])
    assert read.returncode == 0, read.stderr[-3000:]
    assert json.loads(read.stdout.strip().splitlines()[-1]) == {
        "organisation": "BACKUP",
        "partner": {"fr": "Ville de Metz", "de": "Stadt Metz"},
        "meeting": {"fr": "Bureau de mars", "de": "Vorstand im März"},
        "annex": annex.hex(),
        "audited": True,
    }


# Run by the restored platform: every migration applied, and the data read back through the
# models (each organisation's rows inside its scope, as the pages read them).
READ_BACK = """
import json
import django
django.setup()
from django.core.management import call_command
call_command("migrate", check=True, verbosity=0)
from secretariat.core.models import AuditEntry, Organisation
from secretariat.core.scope import organisation_scope
from secretariat.governance.models import DocumentFile, Meeting
from secretariat.network.models import Partner
org = Organisation.objects.get(slug="backup")
with organisation_scope(org.pk):
    print(json.dumps({
        "organisation": org.short_name,
        "partner": Partner.objects.get().name,
        "meeting": Meeting.objects.get().title,
        "annex": DocumentFile.objects.get().file.read().hex(),
        "audited": AuditEntry.objects.filter(organisation=org).count() >= 4,
    }))
"""
