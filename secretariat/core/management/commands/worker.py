"""Run the background task worker of the configured queue: RQ's worker on Redis (REDIS_URL),
else the loop of the database queue of django-tasks.

On the database queue, django-tasks-db's loop lets a "database is locked" error out of its claim of the next task,
and its process then dies: on SQLite a long write elsewhere was enough to stop convocations
for good. This worker carries on after such an error, and puts back in the queue the tasks a
dead worker of this machine had started (convocations only send what is still queued, so
running one again sends nothing twice). ``secretariat serve`` also restarts a worker that exits.
"""

import logging
import os
import socket
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import OperationalError, connections
from django_tasks import task_backends
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import is_locked_database_exception
from django_tasks_rq import RQBackend

log = logging.getLogger("secretariat.worker")
HOST = socket.gethostname()[:40]


def worker_id() -> str:
    """Host and process, so that another worker can tell this one has died."""
    return f"{HOST}:{os.getpid()}:{time.monotonic_ns() % 10**9}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def requeue_orphans(*, this_worker: str = "") -> int:
    """Put back in the queue the tasks left running by workers of this machine that are gone
    (and by ``this_worker``, which is not running any); returns how many."""
    orphans = []
    for pk, workers in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).values_list(
        "pk", "worker_ids"
    ):
        last = workers[-1] if workers else ""
        host, _sep, rest = last.partition(":")
        pid = rest.partition(":")[0]
        mine = bool(last) and last == this_worker
        if mine or (host == HOST and pid.isdigit() and not _alive(int(pid))):
            orphans.append(pk)
    if orphans:
        DBTaskResult.objects.filter(pk__in=orphans, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        )
        log.warning("Put %s task(s) left by a stopped worker back in the queue.", len(orphans))
    return len(orphans)


class Command(BaseCommand):
    help = "Run the worker that executes background tasks (mass mail, imports, reports)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="Run the queued tasks, then stop.")

    def handle(self, *args: Any, once: bool, **options: Any) -> None:
        backend = task_backends["default"]
        if isinstance(backend, RQBackend):
            # RQ's worker, with django-tasks-rq's job class (which runs django-tasks' tasks) and
            # its scheduler (tasks to run later). RQ itself records a job whose worker died as
            # failed; the deliveries it was sending stay queued, and staff see that they wait.
            call_command(
                "rqworker",
                *sorted(backend.queues),
                job_class="django_tasks_rq.Job",
                with_scheduler=True,
                burst=once,
                verbosity=options.get("verbosity", 1),
            )
            return
        me = worker_id()
        requeue_orphans()
        arguments = ["--worker-id", me, *(["--batch"] if once else [])]
        while True:
            try:
                call_command("db_worker", *arguments, verbosity=options.get("verbosity", 1))
                return
            except OperationalError as error:
                if not is_locked_database_exception(error):
                    raise
                log.warning(
                    "The database stayed locked longer than the busy timeout (%s); the worker "
                    "carries on.",
                    error,
                )
                # The connection may be left inside a transaction that never began.
                connections.close_all()
                time.sleep(1)
                requeue_orphans(this_worker=me)
