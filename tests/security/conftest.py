"""The attacker's tests are marked ``hostile``: they do not depend on the calendar, so the runs
of the suite with the clock moved (``make test-moved-clock``) leave them out."""

from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: Any, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.hostile)
