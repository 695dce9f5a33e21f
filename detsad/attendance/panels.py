"""Panels the journal adds to other pages: the month of a child on the personal file, the
journal links on a group's page."""

from __future__ import annotations

from detsad.core.access import Actor, scoped
from detsad.core.permissions import Area
from detsad.core.registry import Widget
from detsad.people.models import Child

from .sheet import child_month


def child_panels(actor: Actor, child) -> list[Widget]:
    if not actor.can_rows(Area.ATTENDANCE):
        return []
    if not scoped(actor, Child.objects.filter(pk=child.pk), Area.ATTENDANCE).exists():
        return []
    data = child_month(child, actor.today, today=actor.today)
    return [Widget("attendance/widgets/child_panel.html", {"data": data, "child": child}, order=30)]


def group_panels(actor: Actor, group) -> list[Widget]:
    if not actor.can_rows(Area.ATTENDANCE):
        return []
    return [
        Widget(
            "attendance/widgets/group_panel.html", {"group": group, "today": actor.today}, order=5
        )
    ]
