"""The audit trail pages: one record per change with old → new values, filters, XLSX
export, read-only everywhere (cases: personal-file change, rights change)."""

import datetime as dt
import io
import re
import zipfile

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from detsad.core.models import AuditRecord
from detsad.people.services import child_update


def test_changing_a_birth_date_leaves_one_record_with_old_and_new(world, as_role):
    child = world.a.children["c1"]
    client = as_role("coordinator")
    data = {
        f: getattr(child, f)
        for f in (
            "last_name",
            "first_name",
            "patronymic",
            "sex",
            "citizenship",
            "birth_certificate_series",
            "birth_certificate_number",
        )
    }
    data["birth_date"] = "06.03.2022"
    before = AuditRecord.objects.count()
    response = client.post(
        reverse("people:child_edit", args=[child.pk]), data, REMOTE_ADDR="10.9.8.7"
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert AuditRecord.objects.count() == before + 1, response.url
    record = AuditRecord.objects.latest("id")
    assert record.kind == "people.child" and record.object_id == str(child.pk)
    assert record.action == "update"
    assert record.changes == {"birth_date": ["05.03.2022", "06.03.2022"]}
    assert record.actor == world.a.users["coordinator"] and record.ip == "10.9.8.7"

    page = as_role("head").get(
        reverse("core:audit_list"), {"kind": "people.child", "object_id": child.pk}
    )
    body = page.content.decode()
    assert "дата рождения" in body and "05.03.2022" in body and "06.03.2022" in body
    assert "coordinator A" in body or "A coordinator" in body


def test_filters_by_person_action_and_period(world, as_role):
    actor = world.a.actor("hr")
    child_update(actor=actor, child=world.a.children["c2"], address="ул. Мира, 5")
    client = as_role("sysadmin")
    by_hr = client.get(reverse("core:audit_list"), {"who": "hr"}).content.decode()
    assert "ул. Мира, 5" in by_hr
    by_other = client.get(reverse("core:audit_list"), {"who": "nobody"}).content.decode()
    assert "ул. Мира, 5" not in by_other
    future = client.get(reverse("core:audit_list"), {"start": "01.01.2099"}).content.decode()
    assert "ул. Мира, 5" not in future
    deletes = client.get(reverse("core:audit_list"), {"action": "delete"}).content.decode()
    assert "ул. Мира, 5" not in deletes


def test_other_kindergartens_records_are_not_shown(world, as_role):
    child_update(
        actor=world.b.actor("coordinator"), child=world.b.children["c1"], address="Чужой адрес 7"
    )
    assert "Чужой адрес 7" not in as_role("head").get(reverse("core:audit_list")).content.decode()


def test_roles_without_the_audit_right_get_403(world, as_role):
    for role in ("educator", "hr", "parent"):
        assert as_role(role).get(reverse("core:audit_list")).status_code == 403


def test_audit_list_query_count_does_not_grow(world, as_role, django_assert_max_num_queries):
    client = as_role("head")
    actor = world.a.actor("coordinator")
    child_update(actor=actor, child=world.a.children["c1"], address="1")
    client.get(reverse("core:audit_list"))
    with django_assert_max_num_queries(12):
        client.get(reverse("core:audit_list"))
    for i in range(40):
        child_update(actor=actor, child=world.a.children["c1"], address=f"адрес {i}")
    with django_assert_max_num_queries(12):
        body = client.get(reverse("core:audit_list")).content.decode()
    assert "адрес 39" in body


def test_xlsx_export(world, as_role):
    child_update(
        actor=world.a.actor("coordinator"),
        child=world.a.children["c1"],
        birth_date=dt.date(2022, 3, 6),
    )
    response = as_role("head").get(reverse("core:audit_export"), {"kind": "people.child"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[1]][:3] == ["Когда", "Кто", "IP-адрес"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1
    assert rows[0][4] == "воспитанник"
    assert rows[0][7] == "дата рождения: 05.03.2022 → 06.03.2022"


def test_xlsx_export_keeps_formula_like_text_as_text(world, as_role):
    """A surname typed as a formula stays literal text in the audit export (OWASP formula
    injection): the cell is a string with Excel's quote prefix, and no <f> element exists."""
    child_update(
        actor=world.a.actor("coordinator"),
        child=world.a.children["c1"],
        last_name='=HYPERLINK("http://evil.example","жми")',
    )
    response = as_role("head").get(reverse("core:audit_export"), {"kind": "people.child"})
    ws = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    evil = [c for c in cells if "HYPERLINK" in c.value]
    assert evil and all(c.data_type == "s" for c in evil)
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet


def test_records_cannot_be_edited_or_deleted(world):
    record = AuditRecord.objects.create(action="action", kind="x", note="n")
    record.note = "changed"
    with pytest.raises(ValidationError):
        record.save()
    with pytest.raises(ValidationError):
        record.delete()
    admin = site._registry[AuditRecord]
    request = RequestFactory().get("/")
    request.user = world.a.users["head"]
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request, record)
    assert not admin.has_delete_permission(request, record)


def test_refused_requests_for_objects_are_logged(world, as_role):
    foreign = world.b.children["c1"]
    client = as_role("educator")
    assert client.get(reverse("people:child_detail", args=[foreign.pk])).status_code == 404
    record = AuditRecord.objects.get(action="denied")
    assert record.actor == world.a.users["educator"]
    assert record.object_id == str(foreign.pk) and record.kind == "url.people:child_detail"
    assert client.get(reverse("api:child-detail", args=[foreign.pk])).status_code == 404
    assert AuditRecord.objects.filter(action="denied", kind="url.api:child-detail").count() == 1


def test_settings_changes_through_forms_keep_old_values(world, as_role):
    """A ModelForm writes into the object before the service runs; the service takes the
    old values from the database, so the record still says 20 → 22."""
    group = world.a.groups["sun"]
    response = as_role("coordinator").post(
        reverse("core:group_edit", args=[group.pk]),
        {
            "name": group.name,
            "age_category": group.age_category,
            "orientation": group.orientation,
            "regime": group.regime,
            "capacity": 22,
            "room": group.room,
        },
    )
    assert response.status_code == 302
    record = AuditRecord.objects.get(kind="core.group", action="update")
    assert record.changes == {"capacity": [20, 22]}


def test_the_trail_speaks_russian_not_identifiers(world, as_role):
    """QA: the trail showed «movement.children_import», «legal: нет», «guardians_created: 5»
    and «пол: M» — keys and stored choice values instead of words."""
    from detsad.core import audit

    org = world.a.org
    child = world.a.children["c1"]
    audit.record(
        None,
        AuditRecord.Action.ACTION,
        kind="movement.children_import",
        object_repr="Загрузка списка детей «children.xlsx»",
        organization=org,
        changes={"file": "children.xlsx", "guardians_created": 66, "skipped_with_errors": 0},
    )
    audit.record(
        None,
        AuditRecord.Action.CREATE,
        child,
        changes={"sex": "M", "legal": False},
        organization=org,
    )
    audit.record(None, AuditRecord.Action.UPDATE, child, changes={"sex": ["M", "F"]})
    html = as_role("head").get(reverse("core:audit_list")).content.decode()
    body = re.sub(r"<[^>]+>", " ", html)  # what a person reads, not option values
    assert "movement.children_import" not in body
    assert "загрузка списка детей" in body
    assert "родителей добавлено" in body and "guardians_created" not in body
    assert "строк с ошибками" in body and "skipped_with_errors" not in body
    assert "законный представитель" in body and "legal" not in body
    assert "мужской" in body and "женский" in body
