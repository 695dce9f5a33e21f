"""Extension points other apps plug into without core importing them.

Each Detsad app may define, in its own modules:

- ``menu.py`` with ``MENU``: a list of `MenuItem` (shown when the actor has the right);
- ``dashboard.py`` with ``widgets(actor) -> list[Widget]`` for the home page, and
  ``organization_figures(actor, organizations, on) -> list[Figure]`` for the columns of the
  department officer's table of kindergartens;
- ``panels.py`` with ``child_panels(actor, child) -> list[Widget]`` for the child's file;
- ``demo.py`` with ``build(ctx)`` called by ``manage.py demo_district`` in app order.

Apps are visited in INSTALLED_APPS order, which follows the domain's import order.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.apps import apps


@dataclass(frozen=True)
class MenuItem:
    title: str
    url_name: str
    area: str
    write: bool = False
    section: str = ""
    rows: bool = False  # needs personal rows, not only aggregates
    roles: tuple[str, ...] = ()  # limit to these roles (empty: any role with the right)
    order: int = 100


@dataclass
class Widget:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


@dataclass
class Figure:
    """One column of the department officer's table of kindergartens (figures only).

    ``values`` maps an organization id to the cell shown for it (a number or a short text
    such as ``"60 %"``); ``total`` is the cell of the total row.
    """

    key: str
    title: str
    values: dict[int, Any]
    total: Any = ""
    order: int = 100


@cache
def app_modules(name: str) -> list[Any]:
    """Import ``<app>.<name>`` for every Detsad app that has it."""
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("detsad."):
            continue
        try:
            modules.append(importlib.import_module(f"{config.name}.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{name}":
                raise
    return modules


def menu_for(actor) -> list[tuple[str, list[MenuItem]]]:
    """Menu sections with the items the actor may use."""
    sections: dict[str, list[MenuItem]] = {}
    for module in app_modules("menu"):
        for item in getattr(module, "MENU", []):
            if item.roles and not actor.has_role(*item.roles):
                continue
            allowed = (
                actor.can_rows(item.area, item.write)
                if item.rows
                else actor.can(item.area, item.write)
            )
            if allowed:
                sections.setdefault(item.section, []).append(item)
    return [(s, sorted(items, key=lambda i: i.order)) for s, items in sections.items()]


def collect(hook: str, module_name: str, *args) -> list[Widget]:
    widgets: list[Widget] = []
    for module in app_modules(module_name):
        fn = getattr(module, hook, None)
        if fn is not None:
            widgets.extend(fn(*args) or [])
    return sorted(widgets, key=lambda w: w.order)
