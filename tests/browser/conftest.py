import os
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import CHROMIUM


@pytest.fixture
def browser_page(monkeypatch: Any) -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.skip(
            "Debian chromium is not installed (apt-get install chromium); browser test skipped"
        )
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test itself
    # happen before and after, never concurrently.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(15000)
        yield page
        context.close()
        browser.close()
