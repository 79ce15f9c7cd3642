from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """mapping[key] in a template, empty when missing."""
    if hasattr(mapping, "get"):
        return mapping.get(key, "")
    return ""
