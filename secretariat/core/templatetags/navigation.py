"""The header's sections: ``{% navigation as links %}`` lists the entries the apps registered
(``core/navigation.py``) that the reader may open."""

from typing import Any

from django import template

from secretariat.core import navigation as registry

register = template.Library()


@register.simple_tag(takes_context=True)
def navigation(context: template.Context) -> list[registry.Link]:
    organisation: Any = context.get("organisation")
    if organisation is None:
        return []
    return registry.links(organisation.slug, context.get("perms_org") or {})
