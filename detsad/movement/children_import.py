"""Children import: a spreadsheet list becomes personal files, guardians, personal
accounts and enrollment events (issue 2 item 8, issue 3 item 7).

Reading and checking the cells is pure code in ``detsad.people.importing``; this module
matches the rows against the organization's data and writes through the services of
people (``child_create``, ``guardian_create`` / ``guardian_link``,
``personal_account_assign``) and movement (``order_create``, ``initial_data_order``,
``children_enroll``), so every change is checked, scoped and audited as if typed by hand.

Rules:

- **All or nothing.** The whole run is one transaction and each row its own savepoint.
  When any row has a fault, nothing is written, unless the user chose «only valid rows»
  before the run (``ImportOptions.valid_only``): then the valid rows are written, each one
  whole (child, guardians, account and enrollment), and the faulty rows not at all.
  A problem with the file or the order as a whole blocks everything.
- **Preview = a dry run.** ``dry_run=True`` performs every write and rolls it back, so the
  preview reports exactly the faults the real run would meet (duplicate account numbers,
  closed years, …) and the capacity warnings.
- **Re-import adds and changes nothing.** A row matches an existing child of the
  organization by birth certificate (series and number), else by full name and birth date;
  a matched child is left as it is and the row is reported as «уже есть». A name and birth
  date match whose certificate differs is a fault (two children cannot be told apart).
  Guardians are matched within the organization by full name and phone, so siblings share
  their parents' files.
- **One order per import.** Enrollments of the current academic year rest on the order
  whose number and date the user gives (an existing order with the same number and date is
  reused: one order may carry many children). Enrollments dated before the current
  academic year began (history from before the system was introduced, e.g. 01.09.2025 in
  children.xlsx) are recorded as they are on the organization's «initial data» marker
  order, even where that year is closed. With ``initial_data=True`` every enrollment goes
  on the marker order.
- **Capacity.** A group that would exceed its capacity is a warning the user confirms
  (``confirm_over_capacity``); without the confirmation that row cannot be written.
- A missing enrollment date is taken from the order's date when an order is given.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from detsad.core import audit
from detsad.core.access import Actor, require, scoped
from detsad.core.models import AcademicYear, AuditRecord, Group, Organization
from detsad.core.permissions import Area
from detsad.people import services as people_services
from detsad.people.importing import (
    ChildRow,
    Fault,
    GuardianRow,
    ParsedFile,
    certificate_key,
    child_key,
    detail,
    group_name_in,
    match_group,
    parse_children_file,
)
from detsad.people.models import Child, Guardian

from . import services
from .models import Order

NEW, EXISTS, ERROR = "new", "exists", "error"
STATUS_LABELS = {NEW: "будет добавлен", EXISTS: "уже есть", ERROR: "ошибка"}


@dataclass
class ImportOptions:
    """What the user chose before the run."""

    order_number: str = ""
    order_date: dt.date | None = None
    initial_data: bool = False
    valid_only: bool = False
    confirm_over_capacity: bool = False
    #: Given when enrollments fall into a closed attendance/fees month: they are then
    #: written as corrections with this reason (services.events, ClosedMonthError).
    correction_reason: str = ""

    def check(self) -> None:
        """Raise ValidationError (Russian, per field) unless an order or «initial data» is set."""
        if self.initial_data:
            return
        errors = {}
        if not (self.order_number or "").strip():
            errors["order_number"] = (
                "Укажите номер приказа о зачислении или выберите «начальные данные»."
            )
        if self.order_date is None:
            errors["order_date"] = "Укажите дату приказа."
        if errors:
            raise ValidationError(errors)


@dataclass
class RowResult:
    """What happens (or happened) to one row."""

    source: ChildRow
    status: str = NEW
    faults: list[Fault] = field(default_factory=list)
    group: Group | None = None
    enroll_on: dt.date | None = None
    initial: bool = False
    child: Child | None = None
    note: str = ""
    guardians_created: int = 0
    guardians_linked: int = 0
    account: bool = False

    @property
    def row(self) -> int:
        return self.source.row

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def fault(self, column: str, message: str) -> None:
        self.faults.append(Fault(self.row, column, message))
        self.status = ERROR


@dataclass
class ImportReport:
    """The outcome of a run (dry or real); ``committed`` tells whether it was written."""

    parsed: ParsedFile
    options: ImportOptions
    dry_run: bool
    results: list[RowResult] = field(default_factory=list)
    file_faults: list[Fault] = field(default_factory=list)
    capacity_warnings: dict[tuple[int, dt.date], str] = field(default_factory=dict)
    #: enrollment date → the closed months it changes («сентябрь 2026 (посещаемость)»)
    closed_months: dict[dt.date, str] = field(default_factory=dict)
    order_text: str = ""
    order_reused: bool = False
    initial_text: str = ""
    committed: bool = False

    @property
    def faults(self) -> list[Fault]:
        rows = [f for r in self.results for f in r.faults]
        return self.file_faults + sorted(rows, key=lambda f: f.row or 0)

    def _with(self, status: str) -> list[RowResult]:
        return [r for r in self.results if r.status == status]

    @property
    def new(self) -> list[RowResult]:
        return self._with(NEW)

    @property
    def existing(self) -> list[RowResult]:
        return self._with(EXISTS)

    @property
    def failed(self) -> list[RowResult]:
        return self._with(ERROR)

    @property
    def warnings(self) -> list[str]:
        return list(self.capacity_warnings.values())

    @property
    def ready(self) -> bool:
        """The run can be written (after the capacity confirmation, if any is needed)."""
        if self.file_faults or not self.new:
            return False
        return not self.failed or self.options.valid_only

    @property
    def closed_month_warnings(self) -> list[str]:
        """«Зачисление с 01.09.2026 меняет состав групп в закрытом месяце: …» per date."""
        return [
            f"Зачисление с {day:%d.%m.%Y} меняет состав групп в закрытом месяце: {months}"
            for day, months in sorted(self.closed_months.items())
        ]

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.capacity_warnings) and not self.options.confirm_over_capacity

    @property
    def counts(self) -> dict[str, int]:
        new = self.new
        return {
            "rows": len(self.results),
            "children": len(new),
            "existing": len(self.existing),
            "errors": len(self.failed),
            "guardians_created": sum(r.guardians_created for r in new),
            "guardians_linked": sum(r.guardians_linked for r in new),
            "accounts": sum(r.account for r in new),
            "enrollments": sum(1 for r in new if r.group is not None),
            "initial": sum(1 for r in new if r.group is not None and r.initial),
            "by_order": sum(1 for r in new if r.group is not None and not r.initial),
            "empty_rows": len(self.parsed.empty_rows),
        }

    @property
    def per_group(self) -> list[tuple[str, int]]:
        counter = Counter(r.group.name for r in self.new if r.group is not None)
        return sorted(counter.items())

    def lines(self) -> list[str]:
        """The report as plain Russian lines (management command, logs)."""
        c = self.counts
        verb = "будет добавлено" if not self.committed else "добавлено"
        out = [
            f"Файл «{self.parsed.name}»: строк с детьми {c['rows']}, пустых строк пропущено "
            f"{c['empty_rows']}.",
            f"Детей {verb}: {c['children']}; уже были в системе: {c['existing']}; "
            f"строк с ошибками: {c['errors']}.",
            f"Родителей: новых {c['guardians_created']}, найдено в личных делах "
            f"{c['guardians_linked']}; лицевых счетов: {c['accounts']}; "
            f"зачислений: {c['enrollments']} (из них начальные данные: {c['initial']}).",
        ]
        if self.order_text and c["by_order"]:
            out.append(f"Приказ: {self.order_text}{' (уже был)' if self.order_reused else ''}.")
        if self.initial_text:
            out.append(f"{self.initial_text[:1].upper()}{self.initial_text[1:]}: {c['initial']}.")
        out += [f"По группам: {name} — {n}" for name, n in self.per_group]
        out += [f"Предупреждение: {w}" for w in self.warnings]
        out += [f"Исправление: {w}" for w in self.closed_month_warnings]
        out += [f"Ошибка: {f}" for f in self.faults]
        return out


class _RowFailed(Exception):
    def __init__(self, faults: list[Fault]):
        super().__init__(faults)
        self.faults = faults


def _faults(row: int, exc: ValidationError, columns: dict[str, str], default: str) -> list[Fault]:
    if hasattr(exc, "error_dict"):
        return [
            Fault(row, columns.get(name) or default, detail(message))
            for name, errors in exc.error_dict.items()
            for error in errors
            for message in error.messages
        ]
    return [Fault(row, default, detail(message)) for message in exc.messages]


class _Importer:
    def __init__(self, actor: Actor, organization: Organization, parsed: ParsedFile, options, dry):
        self.actor = actor
        self.organization = organization
        self.parsed = parsed
        self.options = options
        self.report = ImportReport(parsed=parsed, options=options, dry_run=dry)
        self.main_order: Order | None = None
        self.initial_order: Order | None = None

    # -- planning (reads only) -------------------------------------------------------------

    def _year_start(self) -> dt.date:
        current = (
            AcademicYear.objects.filter(organization=self.organization, is_current=True)
            .values_list("start", flat=True)
            .first()
        )
        return current or AcademicYear.bounds_for(self.actor.today)[0]

    def _check_order(self) -> None:
        o = self.options
        if o.initial_data:
            return
        number = o.order_number.strip()
        self.report.order_text = f"№ {number} от {o.order_date:%d.%m.%Y}"
        existing = (
            scoped(self.actor, Order.objects.filter(organization=self.organization), Area.MOVEMENT)
            .filter(year=o.order_date.year, number=number)
            .first()
        )
        if existing is None:
            return
        if existing.date == o.order_date and existing.kind == Order.Kind.ENROLL:
            self.main_order = existing
            self.report.order_reused = True
            return
        self.report.file_faults.append(
            Fault(
                None,
                "",
                f"приказ № {number} за {o.order_date.year} год уже есть ({existing}, "
                f"{existing.get_kind_display()}): укажите другой номер",
            )
        )

    def _existing_children(self) -> tuple[dict, dict]:
        rows = [r for r in self.parsed.rows if r.ok]
        numbers = {c[1] for r in rows if (c := certificate_key(r.child))}
        births = {r.child["birth_date"] for r in rows}
        qs = scoped(
            self.actor, Child.objects.filter(organization=self.organization), Area.CHILDREN
        ).filter(Q(birth_certificate_number__in=numbers) | Q(birth_date__in=births))
        by_cert, by_name = {}, {}
        for child in qs:
            data = {
                "last_name": child.last_name,
                "first_name": child.first_name,
                "patronymic": child.patronymic,
                "birth_date": child.birth_date,
                "birth_certificate_series": child.birth_certificate_series,
                "birth_certificate_number": child.birth_certificate_number,
            }
            if cert := certificate_key(data):
                by_cert[cert] = child
            by_name.setdefault(child_key(data), child)
        return by_cert, by_name

    def _plan(self) -> None:
        groups = list(
            scoped(
                self.actor,
                Group.objects.filter(organization=self.organization, archived_at__isnull=True),
                Area.ORGANIZATION,
            )
        )
        names = ", ".join(sorted(g.name for g in groups)) or "групп нет"
        year_start = self._year_start()
        by_cert, by_name = self._existing_children()
        o = self.options
        for row in self.parsed.rows:
            result = RowResult(source=row, faults=list(row.faults))
            if result.faults:
                result.status = ERROR
            self.report.results.append(result)
            cols = row.columns
            if row.group:
                result.group = match_group(row.group, groups)
                if result.group is None:
                    result.fault(
                        cols["group"],
                        f"группа «{group_name_in(row.group)}» не найдена; в организации есть: "
                        f"{names}",
                    )
            if row.enroll_date and not row.group:
                result.fault(cols["group"] or cols["enroll_date"], "не указана группа")
            result.enroll_on = row.enroll_date
            if (
                row.group
                and not row.enroll_date
                and not any(
                    f.column == cols["enroll_date"] and cols["enroll_date"] for f in row.faults
                )
            ):
                if o.order_date and not o.initial_data:
                    result.enroll_on = o.order_date
                    result.note = "дата зачисления — дата приказа"
                else:
                    result.fault(cols["enroll_date"] or cols["group"], "не указана дата зачисления")
            if result.enroll_on:
                result.initial = o.initial_data or result.enroll_on < year_start
            if result.status == ERROR:
                continue
            self._match(result, by_cert, by_name)

    def _match(self, result: RowResult, by_cert: dict, by_name: dict) -> None:
        data, cols = result.source.child, result.source.columns
        cert = certificate_key(data)
        found = by_cert.get(cert) if cert else None
        if found is not None:
            result.status, result.child = EXISTS, found
            result.note = (
                f"уже есть: {found.full_name} (то же свидетельство о рождении) — не изменён"
            )
            return
        found = by_name.get(child_key(data))
        if found is None:
            return
        theirs = certificate_key(
            {
                "birth_certificate_series": found.birth_certificate_series,
                "birth_certificate_number": found.birth_certificate_number,
            }
        )
        if cert and theirs and cert != theirs:
            result.fault(
                cols.get("birth_certificate_number") or cols["last_name"],
                f"в системе уже есть ребёнок с теми же ФИО и датой рождения, но со свидетельством "
                f"{found.birth_certificate}",
            )
            return
        result.status, result.child = EXISTS, found
        result.note = f"уже есть: {found.full_name} (те же ФИО и дата рождения) — не изменён"

    # -- writing ---------------------------------------------------------------------------

    def _order_for(self, result: RowResult) -> Order:
        if result.initial:
            if self.initial_order is None:
                first = min(r.enroll_on for r in self.report.new if r.initial and r.enroll_on)
                self.initial_order = services.initial_data_order(
                    actor=self.actor, organization=self.organization, on=first
                )
                self.report.initial_text = str(self.initial_order)
            return self.initial_order
        if self.main_order is None:
            self.main_order = services.order_create(
                actor=self.actor,
                organization=self.organization,
                number=self.options.order_number.strip(),
                date=self.options.order_date,
                kind=Order.Kind.ENROLL,
                title="О зачислении воспитанников",
            )
        return self.main_order

    def _call(self, result: RowResult, columns: dict[str, str], default: str, fn, **kwargs):
        try:
            return fn(actor=self.actor, **kwargs)
        except ValidationError as exc:
            raise _RowFailed(_faults(result.row, exc, columns, default)) from exc

    def _find_guardian(self, g: GuardianRow) -> Guardian | None:
        return (
            scoped(
                self.actor,
                Guardian.objects.filter(organization=self.organization, archived_at__isnull=True),
                Area.CHILDREN,
                write=True,
            )
            .filter(
                last_name__iexact=g.data["last_name"],
                first_name__iexact=g.data["first_name"],
                patronymic__iexact=g.data["patronymic"],
                phone=g.data["phone"],
            )
            .order_by("pk")
            .first()
        )

    def _write(self, result: RowResult, order: Order | None) -> None:
        row = result.source
        child = self._call(
            result,
            row.columns,
            row.columns.get("last_name", ""),
            people_services.child_create,
            organization=self.organization,
            **row.child,
        )
        for g in row.guardians:
            found = self._find_guardian(g)
            if found is not None:
                self._call(
                    result,
                    g.columns,
                    g.columns["last_name"],
                    people_services.guardian_link,
                    child=child,
                    guardian=found,
                    relation=g.relation,
                )
                result.guardians_linked += 1
            else:
                self._call(
                    result,
                    g.columns,
                    g.columns["last_name"],
                    people_services.guardian_create,
                    organization=self.organization,
                    child=child,
                    relation=g.relation,
                    **g.data,
                )
                result.guardians_created += 1
        if row.account:
            self._call(
                result,
                {"number": row.columns["account"]},
                row.columns["account"],
                people_services.personal_account_assign,
                child=child,
                number=row.account,
                opened_on=result.enroll_on,
            )
            result.account = True
        if result.group is not None:
            self._enroll(result, child, order)
        result.child = child

    def _enroll(self, result: RowResult, child: Child, order: Order | None) -> None:
        """Enroll the row's child. A capacity warning is confirmed when the user did (or
        noted in a dry run); a closed month is passed as a correction when the user gave
        its reason (or noted in a dry run); otherwise the row gets a fault saying so."""
        cols = result.source.columns
        column = cols["enroll_date"] or cols["group"]
        kwargs = dict(children=[child], group=result.group, on=result.enroll_on, order=order)
        dry = self.report.dry_run
        reason = (self.options.correction_reason or "").strip()
        while True:
            try:
                self._call(
                    result, {"group": cols["group"]}, column, services.children_enroll, **kwargs
                )
                return
            except _RowFailed as failed:
                cause = failed.__cause__
                if (
                    isinstance(cause, services.CapacityWarning)
                    and "confirm_over_capacity" not in kwargs
                ):
                    message = " ".join(cause.messages).removesuffix("Подтвердите превышение.")
                    message = message.strip()
                    if not (dry or self.options.confirm_over_capacity):
                        raise _RowFailed(
                            [
                                Fault(
                                    result.row,
                                    cols["group"],
                                    detail(message)
                                    + " (нужно подтвердить превышение наполняемости)",
                                )
                            ]
                        ) from cause
                    self.report.capacity_warnings[(result.group.pk, result.enroll_on)] = message
                    kwargs["confirm_over_capacity"] = True
                elif isinstance(cause, services.ClosedMonthError) and "correction" not in kwargs:
                    if not (dry or reason):
                        raise _RowFailed(
                            [
                                Fault(
                                    result.row,
                                    column,
                                    f"зачисление {result.enroll_on:%d.%m.%Y} меняет состав "
                                    f"группы в закрытом месяце — {cause.months}; укажите "
                                    "причину исправления",
                                )
                            ]
                        ) from cause
                    self.report.closed_months.setdefault(result.enroll_on, cause.months)
                    kwargs["correction"] = True
                    kwargs["correction_reason"] = reason or "предпросмотр загрузки"
                else:
                    raise

    def run(self) -> ImportReport:
        self._check_order()
        self._plan()
        if self.report.file_faults:
            return self.report
        # Earliest enrollments first, so each capacity check sees the children placed before.
        pending = sorted(self.report.new, key=lambda r: (r.enroll_on or dt.date.max, r.row))
        for result in pending:
            order = self._order_for(result) if result.group is not None else None
            try:
                with transaction.atomic():
                    self._write(result, order)
            except _RowFailed as failed:
                result.faults.extend(failed.faults)
                result.status, result.child = ERROR, None
                result.guardians_created = result.guardians_linked = 0
                result.account = False
        return self.report


def children_import(
    *,
    actor: Actor,
    organization: Organization,
    content: bytes,
    filename: str,
    options: ImportOptions,
    dry_run: bool = False,
) -> ImportReport:
    """Import a children list (XLSX/CSV bytes) into `organization`.

    Returns the `ImportReport`; ``report.committed`` is True only when the data were written
    (never for ``dry_run``; never when a fault blocks the run — see the module docstring).
    Raises ValidationError for the file as a whole (type, size, header) or missing order
    details; PermissionDenied / Http404 when the actor may not write children and the
    movement book of the organization.
    """
    require(actor, Area.CHILDREN, write=True, obj=organization)
    require(actor, Area.MOVEMENT, write=True, obj=organization)
    options.check()
    parsed = parse_children_file(content, filename, today=actor.today)
    with transaction.atomic():
        report = _Importer(actor, organization, parsed, options, dry_run).run()
        if dry_run or not report.ready:
            transaction.set_rollback(True)
            return report
        report.committed = True
        c = report.counts
        audit.record(
            actor,
            AuditRecord.Action.ACTION,
            kind="movement.children_import",
            object_repr=f"Загрузка списка детей «{filename}»"[:300],
            organization=organization,
            changes={
                "file": filename,
                "children": c["children"],
                "existing": c["existing"],
                "skipped_with_errors": c["errors"],
                "guardians_created": c["guardians_created"],
                "guardians_linked": c["guardians_linked"],
                "accounts": c["accounts"],
                "enrollments": c["enrollments"],
                "order": report.order_text if c["by_order"] else "",
                "initial_data": report.initial_text,
            },
        )
    return report
