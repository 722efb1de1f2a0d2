"""Machine-translation engines behind one small interface: the translation memory (always
there, offline), LibreTranslate/Argos (self-hosted), DeepL (glossaries fed from ours) and the
European Commission's eTranslation (asynchronous, answers on a callback). Machine output is
stored with its engine and never shown as reviewed; confidential texts only ever go to engines
that keep data on premises."""

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.utils.translation import gettext as _

TIMEOUT = 20


class EngineError(Exception):
    """An engine could not translate; ``kind`` says whether trying later may help."""

    def __init__(self, message: str, kind: str = "unavailable") -> None:
        super().__init__(message)
        self.kind = kind  # "timeout", "rate_limited", "unavailable", "refused"


@dataclass(frozen=True)
class Request:
    source: str
    target: str
    texts: list[str]
    glossary: list[tuple[str, str]] = field(default_factory=list)


class Engine:
    id: ClassVar[str] = ""
    on_premises: ClassVar[bool] = True
    supports_glossary: ClassVar[bool] = False
    is_async: ClassVar[bool] = False

    def translate(self, request: Request) -> list[str]:
        raise EngineError(_("This engine answers later, on a callback."), "refused")


def _http(
    url: str, *, data: bytes, headers: dict[str, str], opener: Any = None
) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        response = (opener.open if opener else urllib.request.urlopen)(request, timeout=TIMEOUT)
        return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except TimeoutError as error:
        raise EngineError(_("The translation engine did not answer in time."), "timeout") from error
    except (urllib.error.URLError, OSError) as error:
        raise EngineError(
            _("The translation engine cannot be reached: %(error)s") % {"error": error},
            "unavailable",
        ) from error


def _check(status: int, body: bytes, engine: str) -> None:
    if status == 429 or status == 456:
        raise EngineError(
            _("%(engine)s refuses more requests for now (rate limit or quota).")
            % {"engine": engine},
            "rate_limited",
        )
    if status >= 500:
        raise EngineError(
            _("%(engine)s is out of service (HTTP %(status)s).")
            % {"engine": engine, "status": status},
            "unavailable",
        )
    if status >= 400:
        raise EngineError(
            _("%(engine)s refused the request (HTTP %(status)s): %(detail)s")
            % {"engine": engine, "status": status, "detail": body[:200].decode(errors="replace")},
            "refused",
        )


class LibreTranslate(Engine):
    """A self-hosted LibreTranslate (Argos models): data stays on our servers."""

    id = "libretranslate"
    on_premises = True

    def __init__(self, url: str, api_key: str = "") -> None:
        self.url = url.rstrip("/")
        self.api_key = api_key

    def translate(self, request: Request) -> list[str]:
        payload: dict[str, Any] = {
            "q": request.texts,
            "source": request.source,
            "target": request.target,
            "format": "text",
        }
        if self.api_key:
            payload["api_key"] = self.api_key
        status, body = _http(
            f"{self.url}/translate",
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
        )
        _check(status, body, "LibreTranslate")
        answer = json.loads(body)
        texts = answer.get("translatedText")
        if isinstance(texts, str):
            texts = [texts]
        if not isinstance(texts, list) or len(texts) != len(request.texts):
            raise EngineError(
                _("LibreTranslate gave an answer that does not fit the request."), "refused"
            )
        return [str(t) for t in texts]


class DeepL(Engine):
    """DeepL's API; our glossary is sent as a DeepL glossary for the language pair."""

    id = "deepl"
    on_premises = False
    supports_glossary = True

    def __init__(self, api_key: str, url: str = "https://api-free.deepl.com") -> None:
        self.url = url.rstrip("/")
        self.api_key = api_key

    def _post(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        status, body = _http(
            f"{self.url}{path}",
            data=json.dumps(payload).encode(),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"DeepL-Auth-Key {self.api_key}",
            },
        )
        _check(status, body, "DeepL")
        result: dict[str, Any] = json.loads(body)
        return result

    def glossary(self, request: Request) -> str:
        entries = "\n".join(
            f"{s}\t{t}" for s, t in request.glossary if "\t" not in s + t and "\n" not in s + t
        )
        answer = self._post(
            "/v2/glossaries",
            {
                "name": f"secretariat-{request.source}-{request.target}",
                "source_lang": request.source,
                "target_lang": request.target,
                "entries": entries,
                "entries_format": "tsv",
            },
        )
        return str(answer["glossary_id"])

    def translate(self, request: Request) -> list[str]:
        payload: dict[str, Any] = {
            "text": request.texts,
            "source_lang": request.source.upper(),
            "target_lang": request.target.upper(),
        }
        if request.glossary:
            payload["glossary_id"] = self.glossary(request)
        answer = self._post("/v2/translate", payload)
        texts = [t.get("text", "") for t in answer.get("translations", [])]
        if len(texts) != len(request.texts):
            raise EngineError(_("DeepL gave an answer that does not fit the request."), "refused")
        return texts


class ETranslation(Engine):
    """The European Commission's eTranslation: a request now, the translation later on our
    callback address (HTTP Digest authentication)."""

    id = "etranslation"
    on_premises = False
    is_async = True

    def __init__(self, url: str, application: str, password: str) -> None:
        self.url = url.rstrip("/")
        self.application = application
        self.password = password

    def submit(
        self, request: Request, *, reference: str, callback: str, error_callback: str
    ) -> str:
        payload = {
            "sourceLanguage": request.source.upper(),
            "targetLanguages": [request.target.upper()],
            "callerInformation": {"application": self.application, "username": self.application},
            "externalReference": reference,
            "textToTranslate": "\n".join(request.texts),
            "requesterCallback": callback,
            "errorCallback": error_callback,
        }
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, self.url, self.application, self.password)
        opener = urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(manager))
        status, body = _http(
            self.url,
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
            opener=opener,
        )
        _check(status, body, "eTranslation")
        answer = body.decode().strip()
        if not answer.lstrip("-").isdigit() or int(answer) < 0:
            raise EngineError(
                _("eTranslation refused the request (code %(code)s).") % {"code": answer[:40]},
                "refused",
            )
        return answer

    @staticmethod
    def parse_callback(body: bytes) -> dict[str, str]:
        """The fields of eTranslation's callback (form-encoded)."""
        fields = urllib.parse.parse_qs(body.decode(errors="replace"), keep_blank_values=True)
        return {key: values[0] for key, values in fields.items()}
