"""Attendance reports (issue 4 item 6), computed in the database with a fixed number of
queries whatever the number of children, and exported to XLSX.

- `attendance_summary`: per group (kindergarten staff) or per kindergarten (department
  officer, aggregates only) for a period — child-days present, missed by reason, average
  daily attendance = child-days present ÷ working days of the period, attendance % =
  present ÷ (present + absent) × 100, one decimal, half up;
- `illness_by_child`: days missed for illness (reasons flagged «по болезни») and the number
  of cases (a case = consecutive working days of illness);
- `absence_streaks`: N or more consecutive working days absent without a valid reason
  (reason «Н» or none); any other mark, an unmarked day or a day out of the group breaks
  the run; weekends and holidays do not;
- `form_85k_attendance`: the 85-К attendance lines for a calendar year (older section 2.3,
  FACTS.md §3.C, FACTS-2.md §2.1): 01 days spent by children, 02 days missed = 03 illness
  + 04 other reasons, 05 days the organization worked; column 4 counts children aged 3
  and older **on the day of the mark** (our reading of the form; [unverified] for the
  2024 edition).

Scope: staff see their organization (educators: their groups) through `core.access.scoped`;
the department officer sees every organization of the municipality as aggregates only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, ExpressionWrapper, IntegerField, Q, QuerySet
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from detsad.core.access import Actor, require, scoped
from detsad.core.calendar import WorkCalendar
from detsad.core.documents import workbook_bytes
from detsad.core.models import CalendarOverride, Group, Organization
from detsad.core.permissions import Area, Scope
from detsad.people.models import Child

from .models import AbsenceReason, AttendanceMark

NO_REASON = "Н"


def _pct(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _one_decimal(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), ROUND_HALF_UP)


def report_marks(actor: Actor) -> tuple[QuerySet[AttendanceMark], str]:
    """Marks the actor's reports may count and the level: «group» (staff of a kindergarten)
    or «organization» (department officer, aggregates over the municipality).

    Raises PermissionDenied for roles without reports or without attendance data.
    """
    require(actor, Area.REPORTS)
    if actor.can_rows(Area.ATTENDANCE) and actor.organization is not None:
        qs = scoped(actor, AttendanceMark.objects.all(), Area.ATTENDANCE).filter(
            organization=actor.organization
        )
        return qs, "group"
    if Scope.AGGREGATES in actor.scope_of(Area.ATTENDANCE) and actor.municipality is not None:
        return AttendanceMark.objects.filter(organization__municipality=actor.municipality), (
            "organization"
        )
    raise PermissionDenied("Недостаточно прав.")


def require_rows_report(actor: Actor) -> QuerySet[AttendanceMark]:
    """Marks for the per-child reports (not for aggregate-only roles)."""
    qs, level = report_marks(actor)
    if level != "group":
        raise PermissionDenied("Отчёт содержит персональные данные: он доступен детскому саду.")
    return qs


def calendars(organizations: list[Organization], start: dt.date, end: dt.date):
    """Work calendar per organization for [start, end] (one query for all of them)."""
    by_org: dict[int, dict[dt.date, str]] = {o.pk: {} for o in organizations}
    reasons: dict[int, dict[dt.date, str]] = {o.pk: {} for o in organizations}
    municipalities = {o.municipality_id for o in organizations}
    rows = CalendarOverride.objects.filter(
        Q(organization__in=organizations) | Q(municipality_id__in=municipalities),
        date__range=(start, end),
    ).values_list("date", "kind", "reason", "organization_id", "municipality_id")
    for day, kind, reason, org_id, mun_id in sorted(rows, key=lambda r: r[3] is not None):
        for o in organizations:
            if org_id == o.pk or (org_id is None and mun_id == o.municipality_id):
                by_org[o.pk][day] = kind
                reasons[o.pk][day] = reason
    return {pk: WorkCalendar(overrides=by_org[pk], reasons=reasons[pk]) for pk in by_org}


# --- summary ------------------------------------------------------------------------------


@dataclass
class SummaryRow:
    label: str
    present: int = 0
    absent: int = 0
    by_reason: dict[str, int] = field(default_factory=dict)
    working_days: int = 0
    average_raw: Decimal = Decimal(0)

    @property
    def average_daily(self) -> Decimal:
        """Children present on an average working day, one decimal."""
        return _one_decimal(self.average_raw)

    @property
    def attendance_pct(self) -> Decimal | None:
        return _pct(self.present, self.present + self.absent)

    def reason(self, code: str) -> int:
        return self.by_reason.get(code, 0)


@dataclass
class Summary:
    level: str
    start: dt.date
    end: dt.date
    codes: list[str]
    rows: list[SummaryRow]
    total: SummaryRow


def attendance_summary(actor: Actor, start: dt.date, end: dt.date) -> Summary:
    """Attendance by group (or by kindergarten for the department) for [start, end]."""
    qs, level = report_marks(actor)
    key = "group_id" if level == "group" else "organization_id"
    counts = (
        qs.filter(on__range=(start, end))
        .values_list(key, "organization_id", "present", "reason__code")
        .annotate(n=Count("pk"))
    )
    if level == "group":
        organizations = [actor.organization]
        units = list(
            scoped(actor, Group.objects.filter(organization=actor.organization), Area.ATTENDANCE)
            .filter(Q(archived_at__isnull=True) | Q(attendance_marks__on__range=(start, end)))
            .distinct()
            .order_by("name")
        )
        unit_org = {g.pk: g.organization_id for g in units}
        labels = {g.pk: g.name for g in units}
    else:
        organizations = list(
            Organization.objects.filter(
                municipality=actor.municipality, archived_at__isnull=True
            ).order_by("short_name")
        )
        unit_org = {o.pk: o.pk for o in organizations}
        labels = {o.pk: o.short_name for o in organizations}
    rows = {pk: SummaryRow(label=labels[pk]) for pk in labels}
    codes: set[str] = set()
    for unit, _org, present, code, n in counts:
        row = rows.get(unit)
        if row is None:
            continue
        if present:
            row.present += n
        else:
            row.absent += n
            code = code or NO_REASON
            codes.add(code)
            row.by_reason[code] = row.by_reason.get(code, 0) + n
    cals = calendars(organizations, start, end)
    for pk, row in rows.items():
        row.working_days = len(cals[unit_org[pk]].working_days(start, end))
        if row.working_days:
            row.average_raw = Decimal(row.present) / row.working_days
    total = SummaryRow(label="Итого")
    for row in rows.values():
        total.present += row.present
        total.absent += row.absent
        for code, n in row.by_reason.items():
            total.by_reason[code] = total.by_reason.get(code, 0) + n
        total.average_raw += row.average_raw
        total.working_days = max(total.working_days, row.working_days)
    order = list(
        AbsenceReason.objects.filter(code__in=codes)
        .order_by("ordering", "code")
        .values_list("code", flat=True)
        .distinct()
    )
    ordered_codes = list(dict.fromkeys([*order, *sorted(codes)]))
    return Summary(level, start, end, ordered_codes, list(rows.values()), total)


# --- illness ------------------------------------------------------------------------------


@dataclass
class ChildLine:
    child: Child
    group: str
    days: int = 0
    cases: int = 0
    first: dt.date | None = None
    last: dt.date | None = None
    ongoing: bool = False


def _runs(days: list[dt.date], working: list[dt.date]) -> list[list[dt.date]]:
    """Split sorted `days` into runs of consecutive working days."""
    index = {d: i for i, d in enumerate(working)}
    runs: list[list[dt.date]] = []
    for d in days:
        if runs and d in index and runs[-1][-1] in index and index[d] == index[runs[-1][-1]] + 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    return runs


def _children_and_groups(child_ids, group_ids):
    children = {c.pk: c for c in Child.objects.filter(pk__in=child_ids)}
    groups = dict(Group.objects.filter(pk__in=group_ids).values_list("pk", "name"))
    return children, groups


def illness_by_child(actor: Actor, start: dt.date, end: dt.date) -> list[ChildLine]:
    """Days missed for illness and the number of illness cases per child (four queries)."""
    qs = require_rows_report(actor)
    marks = list(
        qs.filter(on__range=(start, end), present=False, reason__is_illness=True)
        .order_by("child_id", "on")
        .values_list("child_id", "on", "group_id")
    )
    if not marks:
        return []
    working = calendars([actor.organization], start, end)[actor.organization.pk].working_days(
        start, end
    )
    by_child: dict[int, list[dt.date]] = defaultdict(list)
    last_group: dict[int, int] = {}
    for child_id, on, group_id in marks:
        by_child[child_id].append(on)
        last_group[child_id] = group_id
    children, groups = _children_and_groups(by_child, set(last_group.values()))
    lines = []
    for child_id, days in by_child.items():
        runs = _runs(days, working)
        lines.append(
            ChildLine(
                child=children[child_id],
                group=groups.get(last_group[child_id], ""),
                days=len(days),
                cases=len(runs),
                first=days[0],
                last=days[-1],
            )
        )
    return sorted(lines, key=lambda r: (-r.days, r.child.last_name, r.child.first_name))


def absence_streaks(
    actor: Actor, start: dt.date, end: dt.date, min_days: int = 3
) -> list[ChildLine]:
    """Runs of `min_days`+ working days absent without a valid reason (four queries)."""
    qs = require_rows_report(actor)
    rows = list(
        qs.filter(on__range=(start, end))
        .order_by("child_id", "on")
        .values_list("child_id", "on", "present", "reason__is_valid", "group_id")
    )
    working = calendars([actor.organization], start, end)[actor.organization.pk].working_days(
        start, end
    )
    bad: dict[int, list[dt.date]] = defaultdict(list)
    last_group: dict[int, int] = {}
    for child_id, on, present, valid, group_id in rows:
        if not present and not valid:
            bad[child_id].append(on)
            last_group[child_id] = group_id
    lines = []
    children, groups = _children_and_groups(bad, set(last_group.values()))
    for child_id, days in bad.items():
        for run in _runs(days, working):
            if len(run) >= min_days:
                lines.append(
                    ChildLine(
                        child=children[child_id],
                        group=groups.get(last_group[child_id], ""),
                        days=len(run),
                        cases=1,
                        first=run[0],
                        last=run[-1],
                        ongoing=bool(working) and run[-1] == working[-1],
                    )
                )
    return sorted(lines, key=lambda r: (-r.days, r.child.last_name, r.first))


# --- 85-K ---------------------------------------------------------------------------------


@dataclass
class Form85KRow:
    label: str
    days_spent: int = 0
    days_spent_3: int = 0
    missed: int = 0
    missed_3: int = 0
    illness: int = 0
    illness_3: int = 0
    other: int = 0
    other_3: int = 0
    worked: int = 0

    def lines(self) -> list[tuple[str, str, int, int | None]]:
        """(line code, title, all children, children aged 3+) in form order."""
        return [
            ("01", "Число дней, проведённых детьми в группах", self.days_spent, self.days_spent_3),
            ("02", "Число дней, пропущенных детьми — всего", self.missed, self.missed_3),
            ("03", "   в том числе по болезни", self.illness, self.illness_3),
            ("04", "   по другим причинам", self.other, self.other_3),
            ("05", "Число дней работы организации", self.worked, None),
        ]


def _age_in_days_number():
    """YYYYMMDD(on) − YYYYMMDD(birth): ≥ 30000 exactly when the child is 3 or older."""
    on = ExtractYear("on") * 10000 + ExtractMonth("on") * 100 + ExtractDay("on")
    born = (
        ExtractYear("child__birth_date") * 10000
        + ExtractMonth("child__birth_date") * 100
        + ExtractDay("child__birth_date")
    )
    return ExpressionWrapper(on - born, output_field=IntegerField())


def form_85k_attendance(actor: Actor, year: int) -> tuple[list[Form85KRow], Form85KRow]:
    """85-К attendance lines for the calendar year, per kindergarten, and the total."""
    qs, level = report_marks(actor)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    organizations = (
        [actor.organization]
        if level == "group"
        else list(
            Organization.objects.filter(
                municipality=actor.municipality, archived_at__isnull=True
            ).order_by("short_name")
        )
    )
    older = Q(age_number__gte=30000)
    illness = Q(reason__is_illness=True)
    data = {
        org_id: values
        for org_id, *values in qs.filter(on__range=(start, end))
        .annotate(age_number=_age_in_days_number())
        .values("organization_id")
        .annotate(
            p=Count("pk", filter=Q(present=True)),
            p3=Count("pk", filter=Q(present=True) & older),
            m=Count("pk", filter=Q(present=False)),
            m3=Count("pk", filter=Q(present=False) & older),
            i=Count("pk", filter=Q(present=False) & illness),
            i3=Count("pk", filter=Q(present=False) & illness & older),
        )
        .values_list("organization_id", "p", "p3", "m", "m3", "i", "i3")
    }
    cals = calendars(organizations, start, end)
    last = min(end, actor.today)
    rows = []
    total = Form85KRow(label="Итого")
    for org in organizations:
        p, p3, m, m3, i, i3 = data.get(org.pk, (0, 0, 0, 0, 0, 0))
        row = Form85KRow(
            label=org.short_name,
            days_spent=p,
            days_spent_3=p3,
            missed=m,
            missed_3=m3,
            illness=i,
            illness_3=i3,
            other=m - i,
            other_3=m3 - i3,
            worked=len(cals[org.pk].working_days(start, last)) if last >= start else 0,
        )
        rows.append(row)
        for name in (
            "days_spent",
            "days_spent_3",
            "missed",
            "missed_3",
            "illness",
            "illness_3",
            "other",
            "other_3",
        ):
            setattr(total, name, getattr(total, name) + getattr(row, name))
        total.worked = max(total.worked, row.worked)
    return rows, total


# --- XLSX ---------------------------------------------------------------------------------


def table_xlsx(title: str, subtitle: str, headers: list[str], rows: list[list]) -> bytes:
    """A one-sheet workbook: title, subtitle, a header row and the rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append([subtitle])
    ws.append([])
    ws.append(headers)
    for cell in ws[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append([float(v) if isinstance(v, Decimal) else v for v in row])
    for i, _h in enumerate(headers, start=1):
        ws.column_dimensions[ws.cell(4, i).column_letter].width = 30 if i == 1 else 14
    return workbook_bytes(wb)
