"""Template filters of the fee pages."""

from django import template

from ..models import Policy
from ..receipts import month_title

register = template.Library()


@register.filter
def policy_label(value: str) -> str:
    try:
        return Policy(value).label
    except ValueError:
        return value or ""


@register.filter
def month_name(value) -> str:
    """A date as its month: «октябрь 2026»."""
    return month_title(value) if value else ""


@register.filter
def absolute(value):
    try:
        return abs(value)
    except TypeError:
        return value
