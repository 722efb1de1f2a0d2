"""Send a page's form back as a browser would: every field with the value the page shows,
text areas with CRLF line endings (what browsers send), and the first submit button."""

from typing import Any

import lxml.html
from django.test import Client

MAIN_FORM = "//main//form[@method='post'][.//button or .//input[@type='submit']]"


def form_values(html: str, xpath: str = MAIN_FORM) -> dict[str, list[str]]:
    forms = lxml.html.fromstring(html).xpath(xpath)
    assert forms, f"no form at {xpath}"
    form = forms[0]
    textareas = {t.get("name") for t in form.xpath(".//textarea")}
    values: dict[str, list[str]] = {}
    for name, value in form.form_values():
        if name in textareas:
            value = value.replace("\r\n", "\n").replace("\n", "\r\n")
        values.setdefault(name, []).append(value)
    button = form.xpath(".//button[not(@type) or @type='submit'] | .//input[@type='submit']")[0]
    if button.get("name"):
        values.setdefault(button.get("name"), []).append(button.get("value", ""))
    return values


def resubmit(client: Client, url: str, xpath: str = MAIN_FORM) -> Any:
    """GET ``url``, then POST its form unchanged; returns the response to the POST."""
    page = client.get(url)
    assert page.status_code == 200, url
    return client.post(url, form_values(page.content.decode(), xpath))
