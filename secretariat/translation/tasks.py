"""Tasks queued before they moved beside the services that queue them (issue 10) name this
path in the database queue; the worker still finds them here."""

from secretariat.translation.pretranslate import pretranslate

__all__ = ["pretranslate"]
