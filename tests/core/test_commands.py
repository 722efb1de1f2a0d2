"""The `secretariat` command as an operator meets it: settings from the environment, help that
says what to type, a password for a web login."""

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from secretariat.core.models import LegalForm, User
from tests import factories

ROOT = Path(__file__).resolve().parent.parent.parent


def _settings_in_a_new_process(tmp_path: Path, **environ: str) -> str:
    """Settings are read once, at start: ask a fresh interpreter what it reads."""
    env = {
        k: v for k, v in os.environ.items() if k not in {"PORT", "SITE_URL", "HOST", "DATABASE_URL"}
    }
    env |= {"SECRETARIAT_DATA_DIR": str(tmp_path), **environ}
    code = (
        "from django.conf import settings; import django; django.setup(); print(settings.SITE_URL)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env | {"DJANGO_SETTINGS_MODULE": "secretariat.settings"},
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return result.stdout.strip()


def test_site_url_follows_the_port_when_it_is_not_set(tmp_path: Path) -> None:
    assert _settings_in_a_new_process(tmp_path) == "http://127.0.0.1:8000"
    assert _settings_in_a_new_process(tmp_path, PORT="8080") == "http://127.0.0.1:8080"
    assert (
        _settings_in_a_new_process(tmp_path, PORT="8080", SITE_URL="https://qp.example/")
        == "https://qp.example"
    )


def test_createorganisation_help_lists_the_legal_forms_with_their_codes() -> None:
    from secretariat.core.management.commands.createorganisation import Command

    help_text = " ".join(
        Command().create_parser("secretariat", "createorganisation").format_help().split()
    )
    for form in LegalForm:
        assert form.value in help_text
    assert "egtc_lu: EGTC under Luxembourg law" in help_text


def test_createorganisation_refuses_an_unknown_legal_form(db: Any) -> None:
    with pytest.raises(CommandError) as error:
        call_command(
            "createorganisation",
            "qp",
            "--name=QuattroPole",
            "--short-name=QP",
            "--languages=fr,de",
            "--legal-form=gmbh",
            "--country=LU",
            "--admin=admin@qp.example",
        )
    assert "gmbh" in str(error.value)


def test_setpassword_sets_a_web_login_password_from_standard_input(db: Any, client: Any) -> None:
    org = factories.organisation("qp")
    user = factories.member_of(org, "admin", email="claire.weber@qp.example")
    user.set_unusable_password()
    user.save()
    call_command(
        "setpassword",
        "Claire.Weber@QP.example",
        "--stdin",
        input_stream=_lines("Sarre-Moselle 2027"),
    )
    user.refresh_from_db()
    assert user.check_password("Sarre-Moselle 2027")
    assert client.login(email="claire.weber@qp.example", password="Sarre-Moselle 2027")


def test_setpassword_refuses_a_weak_password_and_an_unknown_user(db: Any) -> None:
    factories.user(email="jan@kortrijk.example")
    with pytest.raises(CommandError) as error:
        call_command("setpassword", "jan@kortrijk.example", "--stdin", input_stream=_lines("1234"))
    assert "too short" in str(error.value)
    with pytest.raises(CommandError) as error:
        call_command(
            "setpassword", "nobody@kortrijk.example", "--stdin", input_stream=_lines("x" * 20)
        )
    assert "No user" in str(error.value)
    assert not User.objects.get(email="jan@kortrijk.example").check_password("1234")


def _lines(text: str) -> Any:
    import io

    return io.StringIO(text + "\n")
