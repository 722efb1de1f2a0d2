"""The flows that touch files, on an S3 bucket: a local S3 server (moto in server mode, in this
process, on a free loopback port) stands for the bucket; the storage is the one settings.py
builds from S3_BUCKET and S3_ENDPOINT_URL. Every file goes in the bucket and comes back byte for
byte through the platform's own pages; none lands in MEDIA_ROOT, none is readable without the
bucket's keys."""

import io
import runpy
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from docx import Document
from PIL import Image

import secretariat.settings
from secretariat.governance import agenda, convocation
from secretariat.governance.models import DocumentFile, Invitation
from tests import factories

REGION = "eu-west-1"
PUBLIC = {
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
}


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """A local S3 server for the session (starting one takes about two seconds)."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


class Bucket:
    def __init__(self, endpoint: str, name: str) -> None:
        import boto3

        self.endpoint, self.name = endpoint, name
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name=REGION,
            aws_access_key_id="secretariat-test",
            aws_secret_access_key="secretariat-test",
        )

    def keys(self) -> set[str]:
        listed = self.client.list_objects_v2(Bucket=self.name)
        return {item["Key"] for item in listed.get("Contents", [])}

    def read(self, key: str) -> bytes:
        body: bytes = self.client.get_object(Bucket=self.name, Key=key)["Body"].read()
        return body

    def assert_private(self, key: str) -> None:
        grants = self.client.get_object_acl(Bucket=self.name, Key=key)["Grants"]
        assert not {g["Grantee"].get("URI") for g in grants} & PUBLIC
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{self.endpoint}/{self.name}/{key}", timeout=5)
        assert refused.value.code == 403


@pytest.fixture
def bucket(s3_server: str, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Bucket:
    """A new bucket, and the platform's files in it: the storage settings.py builds when these
    variables are set."""
    name = f"secretariat-{uuid.uuid4().hex[:12]}"
    found = Bucket(s3_server, name)
    found.client.create_bucket(
        Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    for variable, value in {
        "S3_BUCKET": name,
        "S3_ENDPOINT_URL": s3_server,
        "S3_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "secretariat-test",
        "AWS_SECRET_ACCESS_KEY": "secretariat-test",
        "SECRET_KEY": "settings read again by the test",
    }.items():
        monkeypatch.setenv(variable, value)
    configured = runpy.run_path(secretariat.settings.__file__)["STORAGES"]["default"]
    assert configured["BACKEND"] == "storages.backends.s3.S3Storage"
    settings.STORAGES = {**settings.STORAGES, "default": configured}
    return found


def nothing_in_media_root(settings: Any) -> bool:
    root = Path(settings.MEDIA_ROOT)
    return not root.exists() or not any(root.rglob("*"))


def png(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def settings_form(logo: bytes) -> dict[str, Any]:
    upload = io.BytesIO(logo)
    upload.name = "logo.png"
    return {
        "name__fr": "Organisation alpha",
        "short_name": "ALPHA",
        "legal_form": "egtc_lu",
        "seat_country": "LU",
        "languages": "fr, de",
        "default_language": "fr",
        "timezone": "Europe/Luxembourg",
        "fiscal_year_start_month": 1,
        "logo": upload,
    }


def test_a_logo_goes_to_the_bucket_and_is_shown_from_the_platform(
    client: Client,
    org: Any,
    admin: Any,
    bucket: Bucket,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(admin)
    url = reverse("organisation_settings", args=[org.slug])
    assert client.post(url, settings_form(png("navy"))).status_code == 302
    org.refresh_from_db()
    first = org.logo.name
    assert bucket.keys() == {first}
    bucket.assert_private(first)
    page = client.get(reverse("dashboard", args=[org.slug])).content.decode()
    assert f'src="{org.logo_url}"' in page and bucket.endpoint not in page
    shown = client.get(org.logo_url)
    assert shown["Content-Type"] == "image/png"
    assert b"".join(shown.streaming_content) == bucket.read(first)
    # Another organisation's logo is also logo.png: neither replaces the other.
    other = factories.organisation("gamma")
    client.force_login(factories.member_of(other, "admin"))
    with django_capture_on_commit_callbacks(execute=True):
        form = settings_form(png("green")) | {"name__fr": "Gamma", "short_name": "GAMMA"}
        saved = client.post(reverse("organisation_settings", args=[other.slug]), form)
    assert saved.status_code == 302
    other.refresh_from_db()
    assert other.logo.name != first and bucket.keys() == {first, other.logo.name}
    # A new logo replaces the old one in the bucket once the change is committed.
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, settings_form(png("red"))).status_code == 302
    org.refresh_from_db()
    assert bucket.keys() == {org.logo.name, other.logo.name}
    assert b"".join(client.get(org.logo_url).streaming_content) == bucket.read(org.logo.name)
    assert nothing_in_media_root(settings)


@pytest.fixture
def meeting(org: Any) -> Any:
    body = factories.body(org, name={"fr": "Directoire", "de": "Vorstand"})
    factories.membership(body, factories.person(org, emails=["membre@test.example"]))
    meeting = factories.meeting(body, title={"fr": "Directoire", "de": "Vorstand"})
    agenda.item_add(meeting=meeting, by=None, title={"fr": "Budget", "de": "Haushalt"})
    return meeting


def test_an_agenda_document_goes_to_the_bucket_and_reaches_the_convened_member(
    client: Client, org: Any, staff: Any, meeting: Any, bucket: Bucket, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    item = meeting.items.get()
    french, german = b"%PDF-1.4 budget\n" + bytes(range(256)), b"%PDF-1.4 Haushalt\n"
    client.force_login(staff)
    response = client.post(
        reverse("item_documents", args=[org.slug, meeting.pk, item.pk]),
        {
            "doc_title__fr": "Budget détaillé",
            "doc_title__de": "Detaillierter Haushalt",
            "doc_file__fr": SimpleUploadedFile("budget-fr.pdf", french),
            "doc_file__de": SimpleUploadedFile("haushalt-de.pdf", german),
        },
    )
    assert response.status_code == 302
    files = {f.language: f for f in DocumentFile.objects.all()}
    assert bucket.keys() == {files["fr"].file.name, files["de"].file.name}
    assert bucket.read(files["fr"].file.name) == french
    bucket.assert_private(files["de"].file.name)
    staff_copy = client.get(reverse("document_file", args=[org.slug, files["de"].pk]))
    assert b"".join(staff_copy.streaming_content) == german
    convocation.meeting_convene(meeting=meeting, by=None)
    invitation = Invitation.objects.get(meeting=meeting)
    client.logout()
    download = client.get(reverse("member_file", args=[invitation.token, files["fr"].pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == french
    assert nothing_in_media_root(settings)


def word_template(marker: str) -> bytes:
    document = Document()
    document.add_paragraph(f"{marker} {{{{ organisation }}}}")
    document.add_paragraph("{{ heading }}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_word_template_goes_to_the_bucket_and_fills_the_documents(
    client: Client,
    org: Any,
    admin: Any,
    meeting: Any,
    bucket: Bucket,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from secretariat.documents.models import DocumentTemplate

    template = word_template("VORLAGE AUS DEM EIMER")
    client.force_login(admin)
    url = reverse("document_templates", args=[org.slug])
    upload = SimpleUploadedFile("vorlage.docx", template)
    saved = client.post(url, {"kind": "dossier", "language": "de", "file": upload})
    assert saved.status_code == 302
    stored = DocumentTemplate.objects.get()
    assert bucket.keys() == {stored.file.name} and bucket.read(stored.file.name) == template
    bucket.assert_private(stored.file.name)
    filled = client.get(
        reverse("meeting_document", args=[org.slug, meeting.pk, "dossier", "docx"]) + "?lang=de"
    )
    assert filled.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(filled.content)).paragraphs)
    assert "VORLAGE AUS DEM EIMER" in text and "Vorstand" in text
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"delete": stored.pk}).status_code == 302
    assert bucket.keys() == set()
    assert nothing_in_media_root(settings)
