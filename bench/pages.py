"""The benchmark's pages: adding one is one entry in `PAGES`.

Each `Page` says who opens it (a demo login), how to build its URL from the `Fixture`
(bench/fixture.py), the *floor* — the minimal hand-written SQL that fetches the same data
the page shows, run with a bare cursor — and its targets (issue 7):

- ``target_ms``: p95 server time (100 ms for a page; other targets for heavy actions);
- ``max_queries``: the page's query bound, which must not grow with the number of rows
  (the same bound holds on the tiny CI dataset and on the district; tests/test_bench_small.py
  checks it on every CI run);
- the page/floor ratio target is `RATIO_TARGET` for every page.

Actions that are not a GET (saving a group-day of marks) give ``method="post"`` and
``data`` (built before every request, untimed); work that is not a request at all (the
district's monthly fee run) gives ``call`` instead of ``url`` — a function of the fixture
and of what ``prepare`` made for this call (untimed), timed as it is. Heavy actions set
their own ``repeat``/``warmup`` (timed once or a few times, not 30).

For a write the floor is the minimal SQL doing the same reads and the same writes where
that is simple (the group-day upsert); otherwise its docstring says what it leaves out.

Floors select only the columns the page shows and use ``%s`` parameters (Django's
cursor adapts them to SQLite). Keep each floor honest: the same rows, the same joins a
careful hand-written implementation would need, no less.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from .fixture import Fixture, icontains, table

RATIO_TARGET = 3.0

SQL = list[tuple[str, list[Any]]]


@dataclass(frozen=True)
class Page:
    name: str  # short id used on the command line (--pages) and in the results
    title: str  # Russian, for the table
    login: str  # demo login that opens it
    floor: Callable[[Fixture], SQL]
    url: Callable[[Fixture], str] | None = None
    call: Callable[[Fixture, Any], Any] | None = None  # timed instead of a request
    method: str = "get"
    # POST data, built anew (untimed) before every request: a save that changes the rows
    data: Callable[[Fixture], dict] | None = None
    # untimed preparation before every call (e.g. a fresh bank file); its result is the
    # call's second argument
    prepare: Callable[[Fixture], Any] | None = None
    status: int = 200
    target_ms: float = 100.0
    max_queries: int | None = None
    # heavy actions are timed a few times, not 30 (None: the run's --repeat / --warmup)
    repeat: int | None = None
    warmup: int | None = None


def _models():
    from detsad.attendance.models import AbsenceReason, AttendanceMark
    from detsad.core.models import Group, Organization
    from detsad.fees.models import LedgerEntry, Payment, Tariff
    from detsad.movement.models import MovementEvent, Order, Placement
    from detsad.people.models import Child, ChildGuardian, Guardian, PersonalAccount, Staff

    return {
        "mark": table(AttendanceMark),
        "reason": table(AbsenceReason),
        "ledger": table(LedgerEntry),
        "payment": table(Payment),
        "tariff": table(Tariff),
        "org": table(Organization),
        "grp": table(Group),
        "child": table(Child),
        "cg": table(ChildGuardian),
        "guardian": table(Guardian),
        "account": table(PersonalAccount),
        "staff": table(Staff),
        "placement": table(Placement),
        "event": table(MovementEvent),
        "order": table(Order),
    }


# A placement that covers day %s (the "end" column needs quoting: END is an SQL keyword).
ON_DAY = 'p.start <= %s AND (p."end" IS NULL OR p."end" >= %s)'


def floor_dashboard(f: Fixture) -> SQL:
    """Coordinator's home: groups with today's headcount, children counts, staff count."""
    t = _models()
    return [
        (
            f"SELECT g.id, g.name, g.age_category, g.capacity, COUNT(p.id) FROM {t['grp']} g "
            f"LEFT JOIN {t['placement']} p ON p.group_id = g.id AND {ON_DAY} "
            "WHERE g.organization_id = %s AND g.archived_at IS NULL "
            "GROUP BY g.id, g.name, g.age_category, g.capacity ORDER BY g.name",
            [f.today, f.today, f.org.pk],
        ),
        (
            "SELECT COUNT(*), SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM "
            f"{t['cg']} cg WHERE cg.child_id = c.id) THEN 1 ELSE 0 END) FROM {t['child']} c "
            "WHERE c.organization_id = %s AND c.archived_at IS NULL",
            [f.org.pk],
        ),
        (
            f"SELECT COUNT(*) FROM {t['staff']} WHERE organization_id = %s AND archived_at IS NULL",
            [f.org.pk],
        ),
    ]


def floor_child_file(f: Fixture) -> SQL:
    """Child's personal file: the child, guardians, account, group today, movement events."""
    t = _models()
    child = f.child.pk
    return [
        (
            "SELECT last_name, first_name, patronymic, birth_date, sex, birth_certificate_series, "
            "birth_certificate_number, snils, citizenship, address, health_group, is_disabled, "
            f"has_special_needs, allergies, notes, archived_at FROM {t['child']} WHERE id = %s "
            "AND organization_id = %s",
            [child, f.org.pk],
        ),
        (
            "SELECT cg.id, cg.relation, cg.is_legal_representative, g.id, g.last_name, "
            "g.first_name, g.patronymic, g.phone, g.email, g.consent_pd, g.consent_pd_date "
            f"FROM {t['cg']} cg JOIN {t['guardian']} g ON g.id = cg.guardian_id "
            "WHERE cg.child_id = %s ORDER BY cg.id",
            [child],
        ),
        (f"SELECT number FROM {t['account']} WHERE child_id = %s", [child]),
        (
            f"SELECT g.name, g.age_category FROM {t['placement']} p JOIN {t['grp']} g "
            f"ON g.id = p.group_id WHERE p.child_id = %s AND {ON_DAY}",
            [child, f.today, f.today],
        ),
        (
            'SELECT e."on", e.kind, e.reason, e.reason_text, g.name, fg.name, o.number, o.date '
            f"FROM {t['event']} e LEFT JOIN {t['grp']} g ON g.id = e.group_id "
            f"LEFT JOIN {t['grp']} fg ON fg.id = e.from_group_id "
            f"LEFT JOIN {t['order']} o ON o.id = e.order_id "
            'WHERE e.child_id = %s ORDER BY e."on", e.id',
            [child],
        ),
    ]


def floor_children_search(f: Fixture) -> SQL:
    """Children list searched by a surname fragment: the count and the first 50 rows with
    today's group, plus the groups for the filter."""
    t = _models()
    like = f"%{f.search}%"
    where = (
        "c.organization_id = %s AND c.archived_at IS NULL AND ("
        f"{icontains('c.last_name')} OR {icontains('c.first_name')} OR "
        f"{icontains('c.patronymic')})"
    )
    params = [f.org.pk, like, like, like]
    return [
        (f"SELECT id, name FROM {t['grp']} WHERE organization_id = %s ORDER BY name", [f.org.pk]),
        (f"SELECT COUNT(*) FROM {t['child']} c WHERE {where}", params),
        (
            "SELECT c.id, c.last_name, c.first_name, c.patronymic, c.birth_date, c.sex, g.name "
            f"FROM {t['child']} c LEFT JOIN {t['placement']} p ON p.child_id = c.id AND "
            f"{ON_DAY} LEFT JOIN {t['grp']} g ON g.id = p.group_id WHERE {where} "
            "ORDER BY c.last_name, c.first_name, c.patronymic, c.id LIMIT 50",
            [f.today, f.today, *params],
        ),
    ]


def floor_groups(f: Fixture) -> SQL:
    t = _models()
    return [
        (
            "SELECT id, name, age_category, orientation, regime, capacity, room "
            f"FROM {t['grp']} WHERE organization_id = %s AND archived_at IS NULL ORDER BY name",
            [f.org.pk],
        )
    ]


def floor_group_detail(f: Fixture) -> SQL:
    """A group's card with the children in it today."""
    t = _models()
    return [
        (
            "SELECT name, age_category, orientation, regime, capacity, room "
            f"FROM {t['grp']} WHERE id = %s AND organization_id = %s",
            [f.group.pk, f.org.pk],
        ),
        (
            f"SELECT c.id, c.last_name, c.first_name, c.patronymic, c.birth_date FROM {t['child']} c "
            f"JOIN {t['placement']} p ON p.child_id = c.id WHERE p.group_id = %s AND {ON_DAY} "
            "ORDER BY c.last_name, c.first_name, c.patronymic",
            [f.group.pk, f.today, f.today],
        ),
    ]


def floor_organization_card(f: Fixture) -> SQL:
    t = _models()
    return [
        (
            "SELECT full_name, short_name, inn, kpp, ogrn, okpo, oktmo, address, head_name, phone, "
            "email, website, licence_number, licence_date, licence_issuer, payee_name, bank_name, "
            f"bik, bank_account, correspondent_account, kbk FROM {t['org']} WHERE id = %s",
            [f.org.pk],
        )
    ]


def floor_organizations(f: Fixture) -> SQL:
    t = _models()
    return [
        (
            f"SELECT id, short_name, inn, head_name, phone, address FROM {t['org']} "
            "WHERE municipality_id = %s AND archived_at IS NULL ORDER BY short_name",
            [f.municipality.pk],
        )
    ]


# --- attendance -------------------------------------------------------------------------


def floor_group_day(f: Fixture) -> SQL:
    """The group's "today" page: the children of the group that day with their mark and
    its reason code, the group itself, the municipality's active reasons."""
    t = _models()
    return [
        (
            f"SELECT name, age_category FROM {t['grp']} WHERE id = %s AND organization_id = %s",
            [f.group.pk, f.org.pk],
        ),
        (
            "SELECT c.id, c.last_name, c.first_name, c.patronymic, m.present, r.code "
            f"FROM {t['child']} c JOIN {t['placement']} p ON p.child_id = c.id "
            f"AND p.group_id = %s AND {ON_DAY} "
            f'LEFT JOIN {t["mark"]} m ON m.child_id = c.id AND m."on" = %s '
            f"LEFT JOIN {t['reason']} r ON r.id = m.reason_id "
            "ORDER BY c.last_name, c.first_name, c.patronymic",
            [f.group.pk, f.work_day, f.work_day, f.work_day],
        ),
        (
            f"SELECT id, code, name FROM {t['reason']} WHERE municipality_id = %s "
            "AND is_active ORDER BY ordering, code",
            [f.municipality.pk],
        ),
    ]


_save_round = [0]


def save_day_marks(f: Fixture) -> list[tuple[int, bool, str | None]]:
    """Marks of the next save: every child present, then every child absent («Б»),
    alternating — each save changes every row (the morning's first save, the worst case)."""
    _save_round[0] += 1
    present = _save_round[0] % 2 == 1
    return [(pk, present, None if present else "Б") for pk in f.day_children]


def save_day_data(f: Fixture) -> dict:
    """POST of the group-day form (real contract of attendance/views/journal.py)."""
    data = {}
    for pk, present, code in save_day_marks(f):
        data[f"m_{pk}"] = "present" if present else "absent"
        if code:
            data[f"r_{pk}"] = code
    return data


def floor_save_day(f: Fixture) -> SQL:
    """Saving a group-day by hand: read the roster with the marks already there (the
    service must know old → new for the audit), then one upsert of every child's mark.
    Leaves out the audit insert and the lock/calendar checks (≈ 3 small reads)."""
    from django.utils import timezone

    t = _models()
    now = timezone.now()
    marks = save_day_marks(f)  # the next alternation: every row changes, as in the page
    rows, params = [], []
    for pk, present, code in marks:
        rows.append("(%s, %s, %s, %s, %s, %s, 'journal', %s)")
        params += [f.org.pk, pk, f.group.pk, f.work_day, present, f.reasons.get(code), now]
    return [
        (
            f"SELECT c.id, c.last_name, c.first_name, c.patronymic, m.present, m.reason_id "
            f"FROM {t['child']} c JOIN {t['placement']} p ON p.child_id = c.id "
            f"AND p.group_id = %s AND {ON_DAY} "
            f'LEFT JOIN {t["mark"]} m ON m.child_id = c.id AND m."on" = %s',
            [f.group.pk, f.work_day, f.work_day, f.work_day],
        ),
        (
            f'INSERT INTO {t["mark"]} (organization_id, child_id, group_id, "on", present, '
            f"reason_id, source, updated_at) VALUES {', '.join(rows)} "
            'ON CONFLICT (child_id, "on") DO UPDATE SET present = excluded.present, '
            "reason_id = excluded.reason_id, source = excluded.source, "
            "updated_at = excluded.updated_at",
            params,
        ),
    ]


def _month_floor(f: Fixture) -> SQL:
    """A group-month (grid or timesheet): the children in the group during the month with
    their placement dates, and their marks of the month with reason codes."""
    t = _models()
    return [
        (
            f"SELECT name, age_category, regime FROM {t['grp']} WHERE id = %s "
            "AND organization_id = %s",
            [f.group.pk, f.org.pk],
        ),
        (
            'SELECT c.id, c.last_name, c.first_name, c.patronymic, p.start, p."end" '
            f"FROM {t['placement']} p JOIN {t['child']} c ON c.id = p.child_id "
            'WHERE p.group_id = %s AND p.start <= %s AND (p."end" IS NULL OR p."end" >= %s) '
            "ORDER BY c.last_name, c.first_name, c.patronymic",
            [f.group.pk, f.month_end, f.month],
        ),
        (
            f'SELECT m.child_id, m."on", m.present, r.code FROM {t["mark"]} m '
            f"LEFT JOIN {t['reason']} r ON r.id = m.reason_id "
            'WHERE m.group_id = %s AND m."on" BETWEEN %s AND %s',
            [f.group.pk, f.month, f.month_end],
        ),
    ]


def floor_department_report(
    start_of: Callable[[Fixture], Any], end_of: Callable[[Fixture], Any]
) -> Callable[[Fixture], SQL]:
    """The department's attendance summary by kindergarten: present / absent by reason
    code counted per organization over the period, and the organizations' names."""

    def floor(f: Fixture) -> SQL:
        t = _models()
        return [
            (
                f"SELECT id, short_name FROM {t['org']} WHERE municipality_id = %s "
                "AND archived_at IS NULL ORDER BY short_name",
                [f.municipality.pk],
            ),
            (
                f"SELECT m.organization_id, m.present, r.code, COUNT(*) FROM {t['mark']} m "
                f"JOIN {t['org']} o ON o.id = m.organization_id "
                f"LEFT JOIN {t['reason']} r ON r.id = m.reason_id "
                'WHERE o.municipality_id = %s AND m."on" BETWEEN %s AND %s '
                "GROUP BY m.organization_id, m.present, r.code",
                [f.municipality.pk, start_of(f), end_of(f)],
            ),
        ]

    return floor


# --- movement ---------------------------------------------------------------------------


def floor_movement_book(f: Fixture) -> SQL:
    """The movement book for a year: the number of events and the first page (50) with the
    child, groups and order."""
    t = _models()
    where = 'e.organization_id = %s AND e."on" BETWEEN %s AND %s'
    params = [f.org.pk, f.year_start, f.today]
    return [
        (f"SELECT COUNT(*) FROM {t['event']} e WHERE {where}", params),
        (
            'SELECT e.id, e."on", e.kind, e.reason, c.last_name, c.first_name, c.patronymic, '
            f"c.birth_date, g.name, fg.name, o.number, o.date FROM {t['event']} e "
            f"JOIN {t['child']} c ON c.id = e.child_id "
            f"LEFT JOIN {t['grp']} g ON g.id = e.group_id "
            f"LEFT JOIN {t['grp']} fg ON fg.id = e.from_group_id "
            f"LEFT JOIN {t['order']} o ON o.id = e.order_id "
            f'WHERE {where} ORDER BY e."on" DESC, e.id DESC LIMIT 50',
            params,
        ),
    ]


# --- fees -------------------------------------------------------------------------------


def _accounts_sql(f: Fixture) -> tuple[str, list]:
    t = _models()
    return (
        "SELECT a.id, a.number, c.last_name, c.first_name, c.patronymic "
        f"FROM {t['account']} a JOIN {t['child']} c ON c.id = a.child_id "
        "WHERE a.organization_id = %s",
        [f.org.pk],
    )


def _groups_sql(f: Fixture, start) -> tuple[str, list]:
    """Children's groups during [start, today] (the group column of fee reports)."""
    t = _models()
    return (
        f"SELECT p.child_id, g.id, g.name FROM {t['placement']} p JOIN {t['grp']} g "
        "ON g.id = p.group_id WHERE p.organization_id = %s AND p.start <= %s "
        'AND (p."end" IS NULL OR p."end" >= %s) ORDER BY p.start',
        [f.org.pk, f.today, start],
    )


def floor_debtors(f: Fixture) -> SQL:
    """Debtors at today: the accounts with their children, debits and credits per
    account and month up to today (the debt's age needs months), the children's groups."""
    t = _models()
    return [
        _accounts_sql(f),
        (
            "SELECT account_id, period, SUM(CASE WHEN amount > 0 THEN amount ELSE 0 END), "
            f"SUM(CASE WHEN amount < 0 THEN amount ELSE 0 END) FROM {t['ledger']} "
            'WHERE organization_id = %s AND "on" <= %s GROUP BY account_id, period',
            [f.org.pk, f.today],
        ),
        _groups_sql(f, f.fee_window[0]),
    ]


def floor_turnover(f: Fixture) -> SQL:
    """Turnover statement of the current month: per account the opening balance and the
    month's charges, payments, refunds and write-offs; accounts with children; groups."""
    t = _models()
    start = f.today.replace(day=1)
    return [
        _accounts_sql(f),
        (
            'SELECT account_id, SUM(CASE WHEN "on" < %s THEN amount ELSE 0 END), '
            "SUM(CASE WHEN \"on\" >= %s AND kind IN ('charge', 'adjustment') THEN amount "
            "ELSE 0 END), SUM(CASE WHEN \"on\" >= %s AND kind = 'payment' THEN amount "
            "ELSE 0 END), SUM(CASE WHEN \"on\" >= %s AND kind = 'refund' THEN amount "
            "ELSE 0 END), SUM(CASE WHEN \"on\" >= %s AND kind = 'write_off' THEN amount "
            f"ELSE 0 END) FROM {t['ledger']} "
            'WHERE organization_id = %s AND "on" <= %s GROUP BY account_id',
            [start, start, start, start, start, f.org.pk, f.today],
        ),
        _groups_sql(f, start),
    ]


def _fee_run_floor(org_filter: str, org_param: Callable[[Fixture], Any]):
    def floor(f: Fixture) -> SQL:
        """A fee run's reads: the attendance of the recomputed months (the academic year
        so far), the placements, accounts and tariffs, and what earlier runs posted per
        account and month. Leaves out the writes (charges of a repeated run are zero) and
        the per-child rule in Python."""
        t = _models()
        first, last = f.fee_window
        end = (last + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        orgs = f"SELECT id FROM {t['org']} WHERE {org_filter}"
        return [
            (
                f'SELECT child_id, "on", present, reason_id FROM {t["mark"]} '
                f'WHERE organization_id IN ({orgs}) AND "on" BETWEEN %s AND %s',
                [org_param(f), first, end],
            ),
            (
                f'SELECT child_id, group_id, start, "end" FROM {t["placement"]} '
                f"WHERE organization_id IN ({orgs}) AND start <= %s "
                'AND ("end" IS NULL OR "end" >= %s)',
                [org_param(f), end, first],
            ),
            (
                f"SELECT id, child_id FROM {t['account']} WHERE organization_id IN ({orgs})",
                [org_param(f)],
            ),
            (
                f"SELECT regime, age_band, amount FROM {t['tariff']} WHERE municipality_id = %s",
                [f.municipality.pk],
            ),
            (
                f"SELECT account_id, period, SUM(amount) FROM {t['ledger']} "
                f"WHERE organization_id IN ({orgs}) AND source = 'fee_run' AND period >= %s "
                "GROUP BY account_id, period",
                [org_param(f), first],
            ),
        ]

    return floor


def fee_run_org(f: Fixture, _prepared=None):
    """The monthly fee run of the kindergarten for the current month, as the task runs it."""
    from detsad.fees.models import FeeRun
    from detsad.fees.services.runs import fee_run_execute

    run = fee_run_execute(FeeRun.objects.create(organization=f.org, period=f.fee_window[1]))
    if run.status != FeeRun.Status.DONE:
        raise RuntimeError(f"расчёт {f.org}: {run.error[:300]}")
    return run


def fee_run_district(f: Fixture, _prepared=None):
    """The monthly fee run of every kindergarten of the district (one after another, as
    the task of ``fee_run --municipality`` does)."""
    from detsad.core.models import Organization
    from detsad.fees.models import FeeRun
    from detsad.fees.services.runs import fee_run_execute

    for org in Organization.objects.filter(
        municipality=f.municipality, archived_at__isnull=True
    ).order_by("short_name"):
        run = fee_run_execute(FeeRun.objects.create(organization=org, period=f.fee_window[1]))
        if run.status != FeeRun.Status.DONE:
            raise RuntimeError(f"расчёт {org}: {run.error[:300]}")


IMPORT_SIZE = 1000
_import_round = [0]


def statement_1c(f: Fixture) -> bytes:
    """A 1CClientBankExchange statement of IMPORT_SIZE payments to the kindergarten's
    account, one per personal account in turn (purpose «ЛС <number>»), with document
    numbers unique to this call (each call imports new payments)."""
    import time

    _import_round[0] += 1
    stamp = f"{int(time.time()) % 1_000_000}{_import_round[0]:02d}"
    own = f.org.bank_account
    day = f.today.strftime("%d.%m.%Y")
    numbers = f.account_numbers
    docs, total = [], 0
    for i in range(IMPORT_SIZE):
        amount = 150_000 + (i * 3_517) % 250_000  # kopecks
        total += amount
        number = numbers[i % len(numbers)]
        docs.append(
            "СекцияДокумент=Платежное поручение\n"
            f"Номер={stamp}{i:04d}\nДата={day}\nСумма={amount // 100}.{amount % 100:02d}\n"
            f"ПлательщикСчет=408178100000{i:08d}\nПлательщик=Плательщик {i}\n"
            f"ПолучательСчет={own}\nДатаПоступило={day}\n"
            f"НазначениеПлатежа=Родительская плата ЛС {number} за {f.today:%m.%Y}\n"
            "КонецДокумента\n"
        )
    head = (
        "1CClientBankExchange\nВерсияФормата=1.03\nКодировка=Windows\n"
        f"ДатаНачала={day}\nДатаКонца={day}\nРасчСчет={own}\n"
        f"СекцияРасчСчет\nРасчСчет={own}\nВсегоПоступило={total // 100}.{total % 100:02d}\n"
        "КонецРасчСчет\n"
    )
    return (head + "".join(docs) + "КонецФайла\n").replace("\n", "\r\n").encode("cp1251")


def import_statement(f: Fixture, content: bytes):
    """Import the prepared statement into the kindergarten (as the upload page does)."""
    from detsad.core.access import Actor
    from detsad.fees.services.payments import payment_import_file

    result = payment_import_file(
        actor=Actor.system(organization=f.org, user=f.user("coordinator")),
        organization=f.org,
        content=content,
        file_name="bench.txt",
    )
    if len(result.credited) != IMPORT_SIZE:
        raise RuntimeError(
            f"выписка: зачислено {len(result.credited)} из {IMPORT_SIZE}, "
            f"не распознано {len(result.unmatched)}, повторов {len(result.duplicates)}"
        )
    return result


def floor_import(f: Fixture) -> SQL:
    """The reads of an import: the accounts named in the payments and the payments already
    imported with those bank documents. Leaves out the writes (1,000 payments and 1,000
    ledger entries, ≈ the same again) and the parsing."""
    t = _models()
    numbers = f.account_numbers
    marks = ", ".join(["%s"] * len(numbers))
    return [
        (
            f"SELECT id, number, child_id FROM {t['account']} WHERE organization_id = %s "
            f"AND number IN ({marks})",
            [f.org.pk, *numbers],
        ),
        (
            f"SELECT external_id FROM {t['payment']} WHERE organization_id = %s "
            "AND external_id IN (%s, %s)",
            [f.org.pk, "-", "--"],
        ),
    ]


PAGES: list[Page] = [
    # --- core, people, movement (foundation) ------------------------------------------
    Page(
        # one row: shows the fixed cost of any page (session, user, roles, menu, layout)
        name="organization",
        title="Карточка организации (база: одна строка)",
        login="coordinator",
        url=lambda f: reverse("core:organization"),
        floor=floor_organization_card,
        max_queries=8,
    ),
    Page(
        name="dashboard",
        title="Главная координатора",
        login="coordinator",
        url=lambda f: reverse("core:dashboard"),
        floor=floor_dashboard,
        max_queries=17,  # widgets of every app: groups, counts, attendance today, fees
    ),
    Page(
        name="child-file",
        title="Личное дело ребёнка",
        login="coordinator",
        url=lambda f: reverse("people:child_detail", args=[f.child.pk]),
        floor=floor_child_file,
        max_queries=24,  # panels of every app: movement, attendance, fees, consents
    ),
    Page(
        name="children-search",
        title="Список детей с поиском",
        login="coordinator",
        url=lambda f: f"{reverse('people:child_list')}?q={f.search}",
        floor=floor_children_search,
        max_queries=10,
    ),
    Page(
        name="groups",
        title="Группы",
        login="coordinator",
        url=lambda f: reverse("core:group_list"),
        floor=floor_groups,
        max_queries=8,
    ),
    Page(
        name="group-detail",
        title="Карточка группы с детьми",
        login="coordinator",
        url=lambda f: reverse("core:group_detail", args=[f.group.pk]),
        floor=floor_group_detail,
        max_queries=9,  # + the educators bound to the group (one query)
    ),
    Page(
        name="organizations",
        title="Организации района (управление образованием)",
        login="uo",
        url=lambda f: reverse("core:organization_list"),
        floor=floor_organizations,
        max_queries=8,
    ),
    # --- attendance --------------------------------------------------------------------
    Page(
        name="attendance-day",
        title="Отметки группы «сегодня»",
        login="coordinator",
        url=lambda f: reverse("attendance:group_day", args=[f.group.pk, f.work_day]),
        floor=floor_group_day,
        max_queries=13,
    ),
    Page(
        # each save changes every child's mark (present ↔ absent «Б»): the worst case
        name="attendance-save",
        title="Сохранение отметок группы за день",
        login="coordinator",
        url=lambda f: reverse("attendance:group_day", args=[f.group.pk, f.work_day]),
        method="post",
        data=save_day_data,
        status=302,
        floor=floor_save_day,
        target_ms=30.0,
        # issue 7's target: ≤ 10. 4 are the cost of any request (session, user, membership,
        # its groups; the session row is written at most once a minute, see
        # accounts.middleware.SessionTouchMiddleware), 1 the group, 5 the service
        max_queries=10,
    ),
    Page(
        name="attendance-month",
        title="Табель группы за месяц (сетка)",
        login="coordinator",
        url=lambda f: reverse("attendance:group_month", args=[f.group.pk, f.month]),
        floor=_month_floor,
        max_queries=21,
    ),
    Page(
        name="timesheet-pdf",
        title="Табель 0504608 группы за месяц, PDF",
        login="coordinator",
        url=lambda f: reverse("attendance:timesheet_pdf", args=[f.group.pk, f.month]),
        floor=_month_floor,
        max_queries=21,
        repeat=10,
        warmup=2,
    ),
    # --- movement ------------------------------------------------------------------------
    Page(
        name="movement-book",
        title="Книга движения за год",
        login="coordinator",
        url=lambda f: (
            f"{reverse('movement:book')}?start={f.year_start:%Y-%m-%d}&end={f.today:%Y-%m-%d}"
        ),
        floor=floor_movement_book,
        max_queries=10,
    ),
    # --- fees ----------------------------------------------------------------------------
    Page(
        name="debtors",
        title="Должники организации",
        login="coordinator",
        url=lambda f: reverse("fees:debtors"),
        floor=floor_debtors,
        max_queries=12,
    ),
    Page(
        name="turnover",
        title="Оборотная ведомость организации за месяц",
        login="coordinator",
        url=lambda f: reverse("fees:turnover"),
        floor=floor_turnover,
        max_queries=12,
    ),
    Page(
        name="fee-run-org",
        title="Расчёт платы за месяц: одна организация",
        login="coordinator",
        call=fee_run_org,
        floor=_fee_run_floor("id = %s", lambda f: f.org.pk),
        target_ms=30_000.0,
        repeat=3,
        warmup=1,
    ),
    Page(
        name="fee-run-district",
        title="Расчёт платы за месяц: весь район",
        login="coordinator",
        call=fee_run_district,
        floor=_fee_run_floor("municipality_id = %s", lambda f: f.municipality.pk),
        target_ms=30_000.0,
        repeat=1,
        warmup=0,
    ),
    Page(
        name="payments-import",
        title="Загрузка выписки 1С: 1 000 оплат",
        login="coordinator",
        call=import_statement,
        prepare=statement_1c,
        floor=floor_import,
        target_ms=30_000.0,
        repeat=3,
        warmup=0,
    ),
    # --- reports -------------------------------------------------------------------------
    Page(
        name="dept-attendance-month",
        title="Посещаемость всех садов района за месяц (управление образованием)",
        login="uo",
        url=lambda f: (
            f"{reverse('attendance:report_summary')}?start={f.month:%Y-%m-%d}"
            f"&end={f.month_end:%Y-%m-%d}"
        ),
        floor=floor_department_report(lambda f: f.month, lambda f: f.month_end),
        max_queries=12,
    ),
    Page(
        name="dept-attendance-year",
        title="Посещаемость всех садов района за год (управление образованием)",
        login="uo",
        url=lambda f: (
            f"{reverse('attendance:report_summary')}?start={f.year_start:%Y-%m-%d}"
            f"&end={f.today:%Y-%m-%d}"
        ),
        floor=floor_department_report(lambda f: f.year_start, lambda f: f.today),
        target_ms=2000.0,
        max_queries=12,
        repeat=5,
        warmup=1,
    ),
]
