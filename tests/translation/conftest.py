"""A local HTTP server that answers like LibreTranslate (/translate), DeepL (/v2/...) and
eTranslation (/etrans), for the engine adapters and the flows that use them."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


class Fake(BaseHTTPRequestHandler):
    """Answers like LibreTranslate (/translate), DeepL (/v2/...) and eTranslation (/etrans)."""

    status = 200
    seen: list[tuple[str, Any]] = []

    def log_message(self, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        payload = json.loads(body or b"{}")
        Fake.seen.append((self.path, payload))
        if Fake.status != 200:
            self.send_response(Fake.status)
            self.end_headers()
            self.wfile.write(b'{"error": "no"}')
            return
        if self.path == "/translate":
            answer: Any = {"translatedText": [f"[de] {q}" for q in payload["q"]]}
        elif self.path == "/v2/glossaries":
            answer = {"glossary_id": "g-1"}
        elif self.path == "/v2/translate":
            answer = {"translations": [{"text": f"[DE] {t}"} for t in payload["text"]]}
        elif self.path == "/etrans":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"4242")
            return
        else:
            self.send_response(404)
            self.end_headers()
            return
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def fake() -> Iterator[str]:
    Fake.status, Fake.seen = 200, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Fake)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
