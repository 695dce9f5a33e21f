"""Case C18 (CASES.md): a page checks ownership, but does the matching save/export endpoint?

Educator Т1 is bound to group «Солнышко» (c1, c2) only; «Радуга» (c3) is another group.
Parent Р1 is the guardian of c1 only; c2 is another family's child in the same group.
(a) Т1 POSTs marks to «Радуга»'s journal for 2026-04-06 — the page and the API;
(b) Т1 requests «Радуга»'s attendance export (timesheet PDF/XLSX) and the reports;
(c) Р1 requests c2's child card by id (pages and API);
(d) Р1 requests c2's payment history via the API.
Each: 403/404, none of c2's/c3's data in the body, nothing written, one «отказ в доступе»
record in the audit trail naming the person and the URL.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from unittest import mock

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from detsad.attendance.models import AbsenceReason, AttendanceMark
from detsad.core.models import AuditRecord
from detsad.fees.models import LedgerEntry

DAY = dt.date(2026, 4, 6)


@pytest.fixture
def april_10():
    """Friday 10 April 2026, 10:00 in Moscow (an open month for the journal)."""
    moment = dt.datetime(2026, 4, 10, 7, 0, tzinfo=dt.UTC)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield dt.date(2026, 4, 10)


def _denied(user, path: str) -> int:
    return AuditRecord.objects.filter(
        action="denied", actor=user, object_repr__contains=path
    ).count()


def _refused(response, *secrets: str) -> None:
    assert response.status_code in (403, 404), response.status_code
    body = response.content.decode(errors="replace")
    for secret in secrets:
        assert secret not in body


# (a) marks -------------------------------------------------------------------------------


def test_a_educator_posts_marks_to_another_groups_journal_page(world, as_role, april_10):
    educator, c3 = world.a.users["educator"], world.a.children["c3"]
    client = as_role("educator")
    url = reverse(
        "attendance:group_day", kwargs={"group_pk": world.a.groups["rainbow"].pk, "day": DAY}
    )
    response = client.post(url, {f"m_{c3.pk}": "absent", f"r_{c3.pk}": "Б", "all_present": "1"})
    _refused(response, "Сидоров")
    _refused(client.get(url), "Сидоров")
    assert not AttendanceMark.objects.exists()
    assert _denied(educator, url) == 2


def test_a_educator_posts_marks_to_another_groups_journal_api(world, as_role, april_10):
    educator, c3 = world.a.users["educator"], world.a.children["c3"]
    url = reverse(
        "attendance:api_group_day",
        kwargs={"group_pk": world.a.groups["rainbow"].pk, "day": DAY},
    )
    response = as_role("educator").post(
        url,
        json.dumps({"marks": [{"child": c3.pk, "present": False, "reason": "Б"}]}),
        content_type="application/json",
    )
    _refused(response, "Сидоров")
    assert not AttendanceMark.objects.exists()
    assert _denied(educator, url) == 1


def test_a_another_groups_child_slipped_into_own_journal_is_not_written(world, as_role, april_10):
    c1, c3 = world.a.children["c1"], world.a.children["c3"]
    sun = world.a.groups["sun"]
    url = reverse("attendance:api_group_day", kwargs={"group_pk": sun.pk, "day": DAY})
    response = as_role("educator").post(
        url,
        json.dumps(
            {
                "marks": [
                    {"child": c1.pk, "present": True},
                    {"child": c3.pk, "present": False, "reason": "Б"},
                ]
            }
        ),
        content_type="application/json",
    )
    assert response.status_code in (400, 403, 404)
    assert "Сидоров" not in response.content.decode()
    assert not AttendanceMark.objects.filter(child=c3).exists()
    page = reverse("attendance:group_day", kwargs={"group_pk": sun.pk, "day": DAY})
    as_role("educator").post(page, {f"m_{c3.pk}": "absent", f"r_{c3.pk}": "Б"})
    assert not AttendanceMark.objects.filter(child=c3).exists()


# (b) exports -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["attendance:timesheet_pdf", "attendance:timesheet_xlsx"])
def test_b_educator_requests_another_groups_timesheet(world, as_role, name):
    educator = world.a.users["educator"]
    url = reverse(
        name, kwargs={"group_pk": world.a.groups["rainbow"].pk, "month": dt.date(2026, 4, 1)}
    )
    response = as_role("educator").get(url)
    _refused(response, "Сидоров")
    assert response["Content-Type"].startswith("text/html")  # an error page, not a file
    assert _denied(educator, url) == 1


def _sick(world, key: str) -> None:
    child = world.a.children[key]
    AttendanceMark.objects.create(
        organization=world.a.org,
        child=child,
        group=world.a.groups["sun" if key != "c3" else "rainbow"],
        on=DAY,
        present=False,
        reason=AbsenceReason.objects.get(municipality=world.municipality, code="Б"),
    )


def test_b_educator_batch_export_and_reports_cover_only_own_group(world, as_role, april_10):
    _sick(world, "c1")
    _sick(world, "c3")
    client = as_role("educator")
    params = {"start": "2026-04-01", "end": "2026-04-10"}
    page = client.get(reverse("attendance:report_illness"), params)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Иванов" in html and "Сидоров" not in html
    sheet = client.get(reverse("attendance:report_illness"), {**params, "format": "xlsx"})
    cells = [
        str(c)
        for row in load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True)
        for c in row
        if c
    ]
    assert any("Иванов" in c for c in cells) and not any("Сидоров" in c for c in cells)
    batch = client.get(
        reverse("attendance:timesheets_batch"), {"month": "2026-04", "format": "xlsx"}
    )
    assert batch.status_code == 200
    with zipfile.ZipFile(io.BytesIO(batch.content)) as archive:
        names = archive.namelist()
        text = [
            str(c)
            for name in names
            for ws in load_workbook(io.BytesIO(archive.read(name))).worksheets
            for row in ws.iter_rows(values_only=True)
            for c in row
            if c
        ]
    assert len(names) == 1 and "Радуга" not in names[0]  # one timesheet: own group only
    assert any("Иванов" in c for c in text) and not any("Сидоров" in c for c in text)


# (c) the child card ----------------------------------------------------------------------

CHILD_URLS = [
    "people:child_detail",
    "attendance:child_calendar",
    "fees:account_detail",
    "fees:receipt",
    "api:child-detail",
    "api:child-events",
]


@pytest.mark.parametrize("name", CHILD_URLS)
def test_c_parent_requests_another_familys_child_by_id(world, as_role, name):
    parent, c2 = world.a.users["parent"], world.a.children["c2"]
    url = reverse(name, kwargs={"child_pk": c2.pk})
    before = AuditRecord.objects.exclude(action__in=["access", "denied"]).count()
    _refused(as_role("parent").get(url), "Петрова", "Мама c2", c2.birth_certificate_number)
    assert AuditRecord.objects.exclude(action__in=["access", "denied"]).count() == before
    assert _denied(parent, url) == 1


def test_c_parent_posts_a_notice_for_another_familys_child(world, as_role, april_10):
    from detsad.attendance.models import AbsenceNotice

    parent, c2 = world.a.users["parent"], world.a.children["c2"]
    url = reverse("attendance:notice_create", kwargs={"child_pk": c2.pk})
    response = as_role("parent").post(
        url, {"reason": "О", "start": "2026-04-13", "end": "2026-04-14", "comment": "x"}
    )
    _refused(response, "Петрова")
    assert not AbsenceNotice.objects.exists()
    assert _denied(parent, url) == 1


# (d) the payment history via the API -----------------------------------------------------


def _entry(world, key: str, amount: int, note: str) -> LedgerEntry:
    return LedgerEntry.objects.create(
        organization=world.a.org,
        account=world.a.accounts[key],
        kind="charge" if amount > 0 else "payment",
        period=dt.date(2026, 3, 1),
        on=dt.date(2026, 3, 20),
        amount=amount,
        source="manual",
        note=note,
    )


def test_d_parent_reads_own_childs_payment_history_via_the_api(world, as_role, april_10):
    c1 = world.a.children["c1"]
    _entry(world, "c1", 450000, "счёт c1")
    _entry(world, "c1", -300000, "оплата c1")
    _entry(world, "c2", -777700, "оплата c2")
    client = as_role("parent")
    listing = client.get(reverse("api:fee-account-list")).json()["results"]
    assert [row["child_id"] for row in listing] == [c1.pk]
    body = client.get(reverse("api:fee-account-detail", kwargs={"child_pk": c1.pk})).json()
    assert body["account_number"] == world.a.accounts["c1"].number
    assert body["balance"] == 150000  # 4 500.00 − 3 000.00 ₽, in kopecks
    assert [(h["amount"], h["balance"]) for h in body["history"]] == [
        (450000, 450000),
        (-300000, 150000),
    ]


def test_d_parent_requests_another_familys_payment_history_via_the_api(world, as_role, april_10):
    parent, c2 = world.a.users["parent"], world.a.children["c2"]
    _entry(world, "c2", -777700, "оплата c2")
    url = reverse("api:fee-account-detail", kwargs={"child_pk": c2.pk})
    before = LedgerEntry.objects.count()
    response = as_role("parent").get(url)
    assert response.status_code == 404
    _refused(response, "Петрова", "777700", "оплата c2", world.a.accounts["c2"].number)
    assert LedgerEntry.objects.count() == before
    assert _denied(parent, url) == 1
    # writing through the read-only API is refused as well
    assert as_role("parent").post(reverse("api:fee-account-list"), {}).status_code == 405


def test_d_educator_reads_only_own_groups_fee_accounts(world, as_role):
    client = as_role("educator")
    ids = {row["child_id"] for row in client.get(reverse("api:fee-account-list")).json()["results"]}
    assert ids == {world.a.children["c1"].pk, world.a.children["c2"].pk}
    c3 = world.a.children["c3"]
    url = reverse("api:fee-account-detail", kwargs={"child_pk": c3.pk})
    assert client.get(url).status_code == 404


# (e) the same kind through ids in the form body, not in the URL ---------------------------


def test_e_foreign_ids_in_form_bodies_are_refused(world, as_role):
    """Object ids that arrive in a POST body (pickers) are checked against the scope too:
    another kindergarten's guardian, group and personal account are not accepted."""
    from detsad.accounts.models import Membership
    from detsad.fees.models import Payment
    from detsad.people.models import ChildGuardian

    c1 = world.a.children["c1"]
    foreign_guardian = world.b.guardians["c1"]
    coordinator = as_role("coordinator")
    coordinator.post(
        reverse("people:guardian_add", args=[c1.pk]),
        {"mode": "existing", "link-guardian": foreign_guardian.pk, "link-relation": "other"},
    )
    assert not ChildGuardian.objects.filter(child=c1, guardian=foreign_guardian).exists()

    educator = world.a.users["educator"]
    membership = Membership.objects.get(user=educator)
    admin = as_role("sysadmin")
    admin.post(
        reverse("accounts:membership_groups", args=[educator.pk, membership.pk]),
        {"groups": [world.b.groups["sun"].pk]},
    )
    assert list(membership.groups.values_list("pk", flat=True)) == [world.a.groups["sun"].pk]
    admin.post(
        reverse("accounts:membership_add", args=[world.a.users["hr"].pk]),
        {"role": "educator", "groups": [world.b.groups["rainbow"].pk]},
    )
    assert not Membership.objects.filter(groups=world.b.groups["rainbow"]).exists()

    payment = Payment.objects.create(
        organization=world.a.org,
        source="statement",
        paid_on=dt.date(2026, 10, 5),
        amount=250000,
        status="unmatched",
        purpose="без счёта",
    )
    coordinator.post(
        reverse("fees:payment_assign", args=[payment.pk]),
        {"account": world.b.accounts["c1"].number},
    )
    payment.refresh_from_db()
    assert payment.account_id is None and payment.status == "unmatched"
    assert not LedgerEntry.objects.filter(payment=payment).exists()
