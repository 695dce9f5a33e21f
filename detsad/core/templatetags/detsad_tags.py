"""Template helpers available in every template (registered as builtins)."""

from __future__ import annotations

from django import template
from django.forms import CheckboxInput, CheckboxSelectMultiple, RadioSelect, Select, SelectMultiple

from detsad.core.permissions import Role
from detsad.core.text import format_money

register = template.Library()


@register.filter
def add_class(field, css: str):
    """Render a bound field with Bootstrap classes suited to its widget."""
    widget = field.field.widget
    if isinstance(widget, (Select, SelectMultiple)) and not isinstance(
        widget, (CheckboxSelectMultiple, RadioSelect)
    ):
        css = "form-select"
    elif isinstance(widget, (CheckboxSelectMultiple, RadioSelect)):
        return field.as_widget()
    elif isinstance(widget, CheckboxInput):
        css = "form-check-input"
    existing = widget.attrs.get("class", "")
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": f"{existing} {css}".strip()})


@register.filter
def role_label(value: str) -> str:
    try:
        return Role(value).label
    except ValueError:
        return value


@register.filter
def money(kopecks) -> str:
    """Format integer kopecks as rubles: 123456 → «1 234,56» (see core.text.format_money)."""
    return format_money(kopecks)


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def ru_plural(n, forms: str) -> str:
    """``{{ n|ru_plural:"место,места,мест" }}`` → the right form for n (1 место, 2 места, 5 мест)."""
    from detsad.core.text import plural

    one, few, many = (f.strip() for f in forms.split(","))
    try:
        return plural(int(n), one, few, many)
    except (TypeError, ValueError):
        return many
