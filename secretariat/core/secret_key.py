"""The secret key of an embedded instance, generated once and kept in its data folder."""

from pathlib import Path

from django.core.management.utils import get_random_secret_key


def embedded_secret_key(data_dir: Path) -> str:
    """Return the key stored in ``data_dir``, creating it (readable by the owner only) once."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = get_random_secret_key()
    path.touch(mode=0o600)
    path.write_text(key)
    return key
