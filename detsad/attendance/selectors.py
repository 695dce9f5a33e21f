"""Reads of the attendance journal that other modules (fees, reports) build on.

`child_days` is the shared primitive: per child, the dates present and the dates absent
with the reason's code and validity, for a period of one organization (one query).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .models import AttendanceMark


@dataclass
class ChildDays:
    """One child's marks in a period: ``present`` dates, ``absent`` date → (code, is_valid)."""

    present: set[dt.date] = field(default_factory=set)
    absent: dict[dt.date, tuple[str, bool]] = field(default_factory=dict)

    @property
    def absent_valid(self) -> set[dt.date]:
        return {d for d, (_code, valid) in self.absent.items() if valid}

    @property
    def absent_invalid(self) -> set[dt.date]:
        return {d for d, (_code, valid) in self.absent.items() if not valid}


def child_days(
    organization, start: dt.date, end: dt.date, *, children=None
) -> dict[int, ChildDays]:
    """Marks of `organization` in [start, end] grouped by child id (one query)."""
    qs = AttendanceMark.objects.filter(organization=organization, on__range=(start, end))
    if children is not None:
        qs = qs.filter(child__in=children)
    result: dict[int, ChildDays] = {}
    for child_id, on, present, code, valid in qs.values_list(
        "child_id", "on", "present", "reason__code", "reason__is_valid"
    ):
        days = result.setdefault(child_id, ChildDays())
        if present:
            days.present.add(on)
        else:
            days.absent[on] = (code or "Н", bool(valid))
    return result
