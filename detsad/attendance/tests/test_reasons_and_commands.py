"""The reasons list (coordinator edits, others read) and the management commands."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from detsad.attendance.models import AbsenceNotice, AbsenceReason, AttendanceMark
from detsad.attendance.services import (
    absence_reason_create,
    absence_reason_update,
    attendance_mark_group_day,
)
from detsad.core.models import AuditRecord

from .helpers import at_today


def test_the_world_has_the_standard_reasons(world):
    reasons = {r.code: r for r in AbsenceReason.objects.filter(municipality=world.municipality)}
    assert list(reasons) == ["Б", "О", "К", "Р", "С", "У", "Н"]
    assert [c for c, r in reasons.items() if r.is_valid] == ["Б", "О", "К", "Р", "С", "У"]
    assert [c for c, r in reasons.items() if r.is_illness] == ["Б"]


def test_the_coordinator_adds_and_changes_a_reason(world):
    actor = world.a.actor("coordinator")
    reason = absence_reason_create(
        actor=actor, municipality=world.municipality, code="п", name="Прививка", is_valid=True
    )
    assert reason.code == "П"
    absence_reason_update(actor=actor, reason=reason, name="Отвод от прививки", is_active=False)
    reason.refresh_from_db()
    assert (reason.name, reason.is_active) == ("Отвод от прививки", False)
    record = AuditRecord.objects.filter(kind="attendance.absencereason").latest("id")
    assert record.changes["name"] == ["Прививка", "Отвод от прививки"]


def test_codes_are_unique_and_v_is_reserved(world):
    actor = world.a.actor("coordinator")
    with pytest.raises(ValidationError, match="уже есть"):
        absence_reason_create(actor=actor, municipality=world.municipality, code="Б", name="x")
    with pytest.raises(ValidationError, match="выходные"):
        absence_reason_create(actor=actor, municipality=world.municipality, code="В", name="x")


def test_a_used_code_cannot_change(world):
    educator = at_today(world.a.actor("educator"), dt.date(2026, 4, 10))
    c1 = world.a.children["c1"]
    attendance_mark_group_day(
        actor=educator,
        group=world.a.groups["sun"],
        day=dt.date(2026, 4, 6),
        marks={c1.pk: (False, "Б")},
    )
    reason = AbsenceReason.objects.get(municipality=world.municipality, code="Б")
    with pytest.raises(ValidationError, match="уже используется"):
        absence_reason_update(actor=world.a.actor("coordinator"), reason=reason, code="Ж")


def test_educators_and_other_municipalities_cannot_edit(world):
    reason = AbsenceReason.objects.get(municipality=world.municipality, code="Б")
    with pytest.raises(PermissionDenied):
        absence_reason_update(actor=world.a.actor("educator"), reason=reason, name="x")
    with pytest.raises(PermissionDenied):
        absence_reason_update(actor=world.c.actor("coordinator"), reason=reason, name="x")


def test_reason_pages(world, as_role):
    assert (
        "Болезнь ребёнка" in as_role("educator").get(reverse("attendance:reasons")).content.decode()
    )
    assert as_role("educator").get(reverse("attendance:reason_create")).status_code == 403
    client = as_role("coordinator")
    response = client.post(
        reverse("attendance:reason_create"),
        {"code": "Д", "name": "Домашний режим", "is_valid": "on", "ordering": 70},
    )
    assert response.status_code == 302
    reason = AbsenceReason.objects.get(municipality=world.municipality, code="Д")
    response = client.post(
        reverse("attendance:reason_edit", kwargs={"reason_pk": reason.pk}),
        {"code": "Д", "name": "Домашний режим", "ordering": 70},
    )
    assert response.status_code == 302
    reason.refresh_from_db()
    assert reason.is_valid is False


def test_export_timesheets_command(world, tmp_path):
    educator = at_today(world.a.actor("educator"), dt.date(2026, 4, 10))
    attendance_mark_group_day(
        actor=educator, group=world.a.groups["sun"], day=dt.date(2026, 4, 6), all_present=True
    )
    out = io.StringIO()
    call_command(
        "export_timesheets",
        organization=world.a.org.pk,
        month="2026-04",
        format="xlsx",
        output=str(tmp_path),
        stdout=out,
    )
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["Табель 0504608 Радуга 2026-04.xlsx", "Табель 0504608 Солнышко 2026-04.xlsx"]
    ws = load_workbook(tmp_path / files[1]).active
    assert "Иванов Иван" in [c.value for c in ws["B"]]
    call_command(
        "export_timesheets",
        organization=world.a.org.pk,
        month="2026-04",
        format="pdf",
        output=str(tmp_path),
        stdout=out,
    )
    pdf = tmp_path / "Табели 0504608 ДОО A 2026-04.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("month", ["2026-13", "9999-12", "0001-01", "апрель"])
def test_export_timesheets_refuses_an_impossible_month(world, tmp_path, month):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Месяц: ГГГГ-ММ"):
        call_command(
            "export_timesheets",
            organization=world.a.org.pk,
            month=month,
            format="xlsx",
            output=str(tmp_path),
        )
    assert not list(tmp_path.iterdir())


def test_export_timesheets_names_a_folder_it_cannot_create(world, tmp_path):
    from django.core.management.base import CommandError

    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(CommandError, match="не удаётся создать"):
        call_command(
            "export_timesheets",
            organization=world.a.org.pk,
            month="2026-04",
            format="xlsx",
            output=str(blocker / "sub"),
        )


def test_apply_notices_command(world, frozen_now):
    c1 = world.a.children["c1"]
    AbsenceNotice.objects.create(
        organization=world.a.org,
        child=c1,
        start=dt.date(2026, 3, 5),
        end=dt.date(2026, 3, 12),
        reason=AbsenceReason.objects.get(municipality=world.municipality, code="О"),
    )
    frozen_now(dt.datetime(2026, 3, 13, 6, 0, tzinfo=dt.UTC))
    out = io.StringIO()
    call_command("attendance_apply_notices", stdout=out)
    assert "Отметок по уведомлениям: 5" in out.getvalue()
    assert AttendanceMark.objects.filter(child=c1).count() == 5
