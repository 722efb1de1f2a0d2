"""How the documents' audit keys read in the history (``core/history.py``)."""

from typing import Any

from django.utils.translation import gettext as _

from secretariat.core.history import describe


def _template(before: Any, after: Any) -> str:
    # Stored as the template's label (documents/views.py), in its writer's language.
    if after:
        return _("Document template added: %(template)s.") % {"template": after}
    return _("Document template removed: %(template)s.") % {"template": before}


describe("core.organisation", "template", tell=_template)
