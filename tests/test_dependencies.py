"""The lock files that `make install` uses with --require-hashes agree with the pins of
pyproject.toml, and every package in them carries its hashes: a pin changed without `make lock`
fails here rather than installing something else on a fresh machine."""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pins(requirements: list[str]) -> dict[str, str]:
    found = {}
    for line in requirements:
        name, _, version = line.split(";")[0].split("#")[0].strip().partition("==")
        found[re.sub(r"\[.*\]", "", name).strip().lower().replace("_", "-")] = version.strip()
    return found


def locked(path: Path) -> dict[str, str]:
    """name → version of every package in a lock file, each checked to carry a hash."""
    text = path.read_text().replace("\\\n", " ")
    found = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        assert "--hash=sha256:" in line, f"{path.name}: no hash for {line.split()[0]}"
        name, _, version = line.split()[0].partition("==")
        found[name.lower()] = version
    return found


PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


@pytest.mark.parametrize(
    ("lock", "requirements"),
    [
        ("main.lock", PROJECT["dependencies"]),
        ("dev.lock", PROJECT["dependencies"] + PROJECT["optional-dependencies"]["dev"]),
    ],
)
def test_the_lock_files_hold_the_pins_of_pyproject_with_hashes(
    lock: str, requirements: list[str]
) -> None:
    in_lock = locked(ROOT / "requirements" / lock)
    for name, version in pins(requirements).items():
        assert version, f"{name} is not pinned with == in pyproject.toml"
        assert in_lock.get(name) == version, f"{name}=={version}: run `make lock`"


def test_the_build_tools_are_locked_with_hashes() -> None:
    """pip and what builds the project (pyproject's [build-system]) come hashed too."""
    build = locked(ROOT / "requirements/build.lock")
    assert {"pip", "setuptools", "wheel"} <= set(build)
    wanted = pins((ROOT / "requirements/build.in").read_text().splitlines()[1:])
    assert {name: build.get(name) for name in wanted} == wanted


def test_the_runtime_lock_agrees_with_the_development_lock() -> None:
    main, dev = locked(ROOT / "requirements/main.lock"), locked(ROOT / "requirements/dev.lock")
    assert {name: dev.get(name) for name in main} == main


def test_the_pre_commit_hooks_run_the_tools_of_make_test() -> None:
    """Each hook runs a tool installed by `make install-dev`: a hook naming a tool the project
    no longer installs would fail on every contributor's commit."""
    import shlex

    import yaml

    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert {h["id"] for h in hooks} >= {"ruff-check", "ruff-format", "mypy", "import-contracts"}
    dev = pins(PROJECT["optional-dependencies"]["dev"]) | pins(PROJECT["dependencies"])
    provided_by = {
        "ruff": "ruff",
        "mypy": "mypy",
        "lint-imports": "import-linter",
        "secretariat": "secretariat",
    }
    for hook in hooks:
        words = shlex.split(hook["entry"])
        tool = next(w for w in words if w.startswith(".venv/bin/"))
        name = tool.removeprefix(".venv/bin/")
        assert name in provided_by, hook["id"]
        assert provided_by[name] == "secretariat" or provided_by[name] in dev, hook["id"]
