"""Fee columns of the attendance timesheet 0504608 («плата по ставке», «дни посещения,
подлежащие оплате»), offered to the attendance app through its ``<app>/timesheet.py``
extension point (attendance never imports fees).

Days to be paid follow the month's charging rule (FACTS.md §4, issue 5):
``per_day_attended`` and ``monthly_by_attendance_share`` pay for days present;
``monthly_with_valid_absence_recalc`` pays for every enrolled working day except days
missed for a valid reason; ``advance_with_recalc`` uses its base rule. A day fully covered
by a benefit (100 %, e.g. 273-FZ art. 65 part 3 exemptions) is not paid. Only the days the
child was in this group count, so a child transferred mid-month is split between the two
groups' timesheets.
"""

from __future__ import annotations

from detsad.core.calendar import month_bounds

from . import rules
from .calculation import child_month, load_org_data
from .models.setup import Policy


def columns(sheet) -> dict[int, tuple[str, int]]:
    """Per child of a group's month sheet: (rate text such as «125,00/день», days to be paid).

    One load of the organization's facts for the whole sheet (a fixed number of queries).
    """
    from detsad.attendance.sheet import ABSENT, PRESENT, UNMARKED

    month = sheet.month
    start, end = month_bounds(month.year, month.month)
    data = load_org_data(
        sheet.group.organization, start, end, children=[r.child.pk for r in sheet.rows]
    )
    settings = data.settings.for_month(month)
    if settings is None:
        return {}
    rule = (
        settings.advance_base if settings.policy == Policy.ADVANCE_WITH_RECALC else settings.policy
    )
    result = {}
    for row in sheet.rows:
        child_id = row.child.pk
        rate = ""
        if child_id in data.children:
            details = child_month(data, child_id, month).details
            unit = "/день" if details.get("unit") == "day" else "/мес."
            rate = "; ".join(f"{r}{unit}" for r in details.get("rates", []))
        grants = data.benefits.get(child_id, [])
        payable = 0
        for day, cell in zip(sheet.days, row.cells, strict=True):
            if cell.kind not in (PRESENT, ABSENT, UNMARKED):
                continue
            active = [g for g in grants if g.covers(day.date)]
            if (
                rules.combined_benefit([g.benefit.percent for g in active], settings.stacking)
                >= 100
            ):
                continue
            if rule == Policy.MONTHLY_WITH_VALID_ABSENCE_RECALC:
                payable += not (cell.kind == ABSENT and cell.valid)
            else:
                payable += cell.kind == PRESENT
        result[child_id] = (rate, payable)
    return result
