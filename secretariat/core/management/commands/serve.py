"""Serve the platform with gunicorn (static files through WhiteNoise)."""

import os
import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


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
        # One command runs everything in the embedded setup: the task worker (convocations,
        # reminders of meetings) runs beside the web server unless asked not to.
        worker = None
        if not options.get("no_task_worker"):
            worker = subprocess.Popen(
                [sys.executable, "-c", "from secretariat.cli import main; main(['worker'])"]
            )
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
            if worker is not None:
                worker.terminate()
