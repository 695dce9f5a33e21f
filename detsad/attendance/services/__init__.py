"""Writes of the attendance journal (DESIGN.md §3): every change a person makes, with the
right checked, in one transaction, with its audit record.

- `marks`: the group-day save of the journal and the one-cell edit of the month grid;
- `notices`: parents' advance notices and the marks they pre-fill;
- `closing`: closing and reopening a month;
- `reasons`: the municipality's list of absence reasons.
"""

from ..locks import day_lock
from .closing import ClosingWarning, attendance_month_close, attendance_month_reopen
from .common import can_manage
from .marks import SaveResult, attendance_mark_group_day, attendance_mark_set
from .notices import absence_notice_cancel, absence_notice_create, notices_apply
from .reasons import (
    STANDARD_REASONS,
    absence_reason_create,
    absence_reason_update,
    absence_reasons_seed,
)

__all__ = [
    "STANDARD_REASONS",
    "ClosingWarning",
    "SaveResult",
    "absence_notice_cancel",
    "absence_notice_create",
    "absence_reason_create",
    "absence_reason_update",
    "absence_reasons_seed",
    "attendance_mark_group_day",
    "attendance_mark_set",
    "attendance_month_close",
    "attendance_month_reopen",
    "can_manage",
    "day_lock",
    "notices_apply",
]
