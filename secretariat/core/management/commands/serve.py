"""Serve the platform with gunicorn (static files through WhiteNoise), and keep the task worker
running beside it.

The worker is watched by a process of its own (``supervise``), not by the web server: gunicorn's
master collects every child that exits (``waitpid(-1)``), which would hide how the worker ended,
and a Ctrl-C in the terminal reaches the whole process group, which would stop the worker while
the server is still shutting down and have it started again."""

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

log = logging.getLogger("secretariat.serve")
WORKER = [sys.executable, "-c", "from secretariat.cli import main; main(['worker'])"]
SUPERVISED_WORKER = [
    sys.executable,
    "-c",
    "from secretariat.core.management.commands.serve import supervise; supervise()",
]


class Supervisor:
    """Keeps a child process running: starts it again whenever it exits, waiting longer after
    each exit that follows a short run (``first_delay``, doubled up to ``max_delay``), and says
    so in the log. Without it a worker killed by an error left convocations queued for good."""

    def __init__(
        self,
        command: list[str],
        *,
        name: str = "the background task worker",
        env: dict[str, str] | None = None,
        first_delay: float = 1.0,
        max_delay: float = 60.0,
        stable_after: float = 60.0,
    ) -> None:
        self.command = command
        self.name = name
        self.env = env
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.stable_after = stable_after
        self.process: subprocess.Popen[bytes] | None = None
        self.restarts = 0
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="supervisor", daemon=True)

    def start(self) -> "Supervisor":
        self._thread.start()
        return self

    def _run(self) -> None:
        delay = self.first_delay
        while True:
            with self._lock:
                if self._stopping.is_set():
                    return
                started = time.monotonic()
                self.process = subprocess.Popen(self.command, env=self.env)
            code = self.process.wait()
            if self._stopping.is_set():
                return
            if time.monotonic() - started >= self.stable_after:
                delay = self.first_delay  # it had been running well: a fresh start
            log.warning(
                "%s stopped (exit code %s); starting it again in %s s.",
                self.name[:1].upper() + self.name[1:],
                code,
                f"{delay:g}",
            )
            if self._stopping.wait(delay):
                return
            self.restarts += 1
            delay = min(delay * 2, self.max_delay)

    def stop(self, timeout: float = 10) -> None:
        self._stopping.set()
        with self._lock:
            process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._thread.join(timeout)


def supervise(command: list[str] = WORKER, first_delay: float = 1.0) -> None:
    """Run ``command`` under a ``Supervisor`` until asked to stop (SIGTERM, SIGINT) or until
    the process that started this one is gone; then stop it."""
    logging.basicConfig(format="%(message)s")
    stopping = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_args: stopping.set())
    parent = os.getppid()
    supervisor = Supervisor(command, first_delay=first_delay).start()
    while not stopping.wait(1):
        if os.getppid() != parent:  # the server was killed: do not outlive it
            break
    supervisor.stop()


class Command(BaseCommand):
    help = "Serve Secretariat over HTTP (PORT, default 8000; HOST, default 127.0.0.1)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))
        parser.add_argument(
            "--no-task-worker",
            action="store_true",
            help="Do not start the background task worker beside the web server.",
        )

    def handle(self, *args: Any, host: str, port: str, workers: int, **options: Any) -> None:
        env = dict(os.environ)
        if "SITE_URL" not in env:
            # Personal links in messages (sent by the worker) point where we listen.
            settings.SITE_URL = f"http://127.0.0.1:{port}"
            env["SITE_URL"] = settings.SITE_URL
        # One command runs everything in the embedded setup: the task worker (convocations,
        # reminders of meetings) runs beside the web server unless asked not to, and is started
        # again if it stops.
        supervisor = None
        if not options.get("no_task_worker"):
            supervisor = subprocess.Popen(SUPERVISED_WORKER, env=env, start_new_session=True)
        from gunicorn.app.base import BaseApplication

        # Collect first: WhiteNoise indexes the static folder when the application is built.
        call_command("collectstatic", interactive=False, verbosity=0)
        from secretariat.wsgi import application

        class Server(BaseApplication):
            def load_config(self) -> None:
                self.cfg.set("bind", f"{host}:{port}")
                self.cfg.set("workers", workers)
                self.cfg.set("worker_class", "gthread")
                self.cfg.set("threads", 4)
                self.cfg.set("accesslog", "-")

            def load(self) -> Any:
                return application

        self.stdout.write(f"Secretariat is served at http://{host}:{port}/")
        try:
            Server().run()
        finally:
            if supervisor is not None:
                supervisor.terminate()  # it stops the worker, letting a task in progress end
                try:
                    supervisor.wait(30)
                except subprocess.TimeoutExpired:
                    supervisor.kill()
