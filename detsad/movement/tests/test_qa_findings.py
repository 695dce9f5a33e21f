"""Regression tests for the QA pass over the movement book (issue 3): each test failed
before its fix. Hand-worked values throughout."""

import datetime as dt
import io
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from docx import Document
from pytrovich.enums import Gender

from detsad.core.models import AuditRecord
from detsad.movement import services, summaries
from detsad.movement.documents.declension import decline_name
from detsad.movement.documents.orders import order_context, order_filename
from detsad.movement.models import EducationContract, MovementEvent, Order, Placement
from detsad.testing import build_world, load_world

from .helpers import D, new_child, order


def _docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def test_cancel_refused_shows_the_reason_not_already_cancelled(world, as_role):
    """A refused cancellation (an enrollment with a transfer after it) used to answer
    «Эта запись уже отменена.» and hide the real reason: building the unsaved CANCEL event
    filled the reverse one-to-one cache of the event the view then looked at."""
    a = world.a
    hr = a.actor("hr")
    kid = new_child(a)
    enroll = services.child_enroll(
        actor=hr, child=kid, group=a.groups["sun"], on=D(2026, 9, 7), order=None
    )
    services.child_transfer(
        actor=hr, child=kid, group=a.groups["rainbow"], on=D(2026, 10, 5), order=None
    )
    html = (
        as_role("hr")
        .post(f"/movement/events/{enroll.pk}/cancel/", {"reason": "ошибка"})
        .content.decode()
    )
    assert "Эта запись уже отменена" not in html
    assert "нельзя отменить" in html and "Сначала отмените более поздние записи" in html
    assert not MovementEvent.objects.filter(cancels=enroll).exists()
    # The service leaves the event it refused to cancel as it was.
    with pytest.raises(ValidationError):
        services.movement_event_cancel(actor=hr, event=enroll, reason="ошибка")
    assert not hasattr(enroll, "cancelled_by")


@pytest.mark.parametrize(
    ("parts", "gender", "case", "expected"),
    [
        (("ЕЛИСЕЕВА", "ОЛЬГА", "ПЕТРОВНА"), Gender.FEMALE, "acc", "ЕЛИСЕЕВУ ОЛЬГУ ПЕТРОВНУ"),
        (("ИВАНОВ", "ИВАН", "ИВАНОВИЧ"), Gender.MALE, "gen", "ИВАНОВА ИВАНА ИВАНОВИЧА"),
        (("РИМСКАЯ-КОРСАКОВА", "АННА", ""), Gender.FEMALE, "acc", "РИМСКУЮ-КОРСАКОВУ АННУ"),
        (("Петрова", "Мария", "Сергеевна"), Gender.FEMALE, "acc", "Петрову Марию Сергеевну"),
    ],
)
def test_names_written_in_capitals_are_declined_in_capitals(parts, gender, case, expected):
    """Lists from registries come in capitals; pytrovich appended lower-case endings
    («ЕЛИСЕЕВу ОЛЬГу ПЕТРОВНу»)."""
    assert decline_name(*parts, gender, case) == expected


def test_signature_date_in_the_order_is_the_local_date(world):
    """Signed at 22:30 UTC on 29.11.2026 = 01:30 on 30.11.2026 in Moscow: the order page
    said 30.11.2026, the document said 29.11.2026 (the UTC date)."""
    a = world.a
    hr = a.actor("hr")
    o = order(hr, a, "5-в", D(2026, 11, 27))
    services.child_enroll(
        actor=hr, child=new_child(a), group=a.groups["sun"], on=D(2026, 12, 1), order=o
    )
    o.signed_by = a.users["head"]
    o.signed_at = dt.datetime(2026, 11, 29, 22, 30, tzinfo=dt.UTC)
    o.save()
    events = list(MovementEvent.objects.filter(order=o))
    assert order_context(o, events)["signed_at"] == "30.11.2026"


@pytest.mark.parametrize("number", ["8\n9", "8\r9", "8\t9", "12\x00"])
def test_order_number_with_control_characters_is_refused(world, number):
    """A number with a line break (a crafted post) was stored, and every download of the
    order then failed with a server error (a header cannot hold a line break)."""
    a = world.a
    before = Order.objects.count()
    with pytest.raises(ValidationError) as exc:
        order(a.actor("hr"), a, number, D(2026, 11, 27))
    assert exc.value.message_dict["number"] == [
        "Номер приказа содержит недопустимые символы (переводы строк, табуляцию)."
    ]
    assert Order.objects.count() == before


def test_file_names_keep_quotes_and_slashes_out(world):
    a = world.a
    o = order(a.actor("hr"), a, '7"x/1\\2', D(2026, 11, 27))
    assert order_filename(o, "docx") == "Приказ № 7-x-1-2 от 27.11.2026.docx"


def test_department_officer_cannot_download_contracts(world, as_role):
    """The contract carries the parent's passport, address and phone and the child's
    address: personal-file data the department officer sees only as aggregates."""
    a = world.a
    c2 = a.children["c2"]
    contract = services.contract_create(
        actor=a.actor("hr"), child=c2, number="31", date=D(2025, 8, 25), guardian=None
    )
    officer = as_role("dept_officer")
    assert officer.get(f"/movement/contracts/{contract.pk}/pdf/").status_code == 404
    assert officer.get(f"/movement/contracts/{contract.pk}/docx/").status_code == 404
    hr = as_role("hr")
    assert hr.get(f"/movement/contracts/{contract.pk}/docx/").status_code == 200
    # The educator of «Солнышко» still downloads the contract of a child of the group.
    assert as_role("educator").get(f"/movement/contracts/{contract.pk}/pdf/").status_code == 200


def test_a_child_enrolled_in_another_tab_gets_a_plain_message(world, as_role):
    """The second of two tabs used to say «Ребёнок 64 не найден в списке.» (an id)."""
    a = world.a
    kid = new_child(a)
    client = as_role("hr")
    data = {
        "action": "save",
        "on": "07.09.2026",
        "group": a.groups["sun"].pk,
        "children": [kid.pk],
        "order_number": "40-в",
        "order_date": "04.09.2026",
    }
    assert client.post("/movement/enroll/", data).status_code == 302
    html = client.post("/movement/enroll/", {**data, "order_number": "41-в"}).content.decode()
    assert f"Ребёнок {kid.pk}" not in html
    assert "Отмеченного ребёнка уже нет в списке" in html
    assert not Order.objects.filter(number="41-в").exists()


def test_contract_errors_name_the_child(world, as_role):
    """Enrolling several children, a contract error did not say whose contract it was."""
    a = world.a
    kid = new_child(a, "Соколов", "Илья", "Андреевич", birth=D(2022, 3, 1))
    other = new_child(a, "Орлова", "Нина", "")
    services.contract_create(actor=a.actor("hr"), child=other, number="Д-1", date=D(2026, 9, 1))
    client = as_role("hr")
    html = client.post(
        "/movement/enroll/",
        {
            "action": "save",
            "on": "07.09.2026",
            "group": a.groups["sun"].pk,
            "children": [kid.pk],
            f"contract_num_{kid.pk}": "Д-1",
            f"contract_date_{kid.pk}": "01.09.2026",
            "order_number": "42-в",
            "order_date": "04.09.2026",
        },
    ).content.decode()
    assert "Соколов Илья Андреевич: договор № Д-1 за 2026 год уже есть." in html
    assert not Order.objects.filter(number="42-в").exists()
    assert EducationContract.objects.filter(number="Д-1").count() == 1


def test_withdrawal_item_says_vybyl_or_vybyla_by_the_childs_sex(world):
    a = world.a
    hr = a.actor("hr")
    girl = new_child(a, "Петрова", "Мария", "Сергеевна", "F")
    services.child_enroll(actor=hr, child=girl, group=a.groups["sun"], on=D(2026, 9, 7), order=None)
    o = order(hr, a, "7-о", D(2026, 11, 20), Order.Kind.WITHDRAW)
    services.children_withdraw(
        actor=hr,
        children=[girl, a.children["c1"]],
        on=D(2026, 11, 30),
        order=o,
        reason="moved",
        destination="г. Армавир",
    )
    text = "\n".join(i["text"] for i in order_context(o, list(o.events.all()))["items"])
    assert "Отчислить Петрову Марию Сергеевну" in text and "Выбыла: г. Армавир." in text
    assert "Выбыл: г. Армавир." in text and "Выбыл(а)" not in text


@pytest.fixture
def world_restored_after(django_db_blocker):
    """Rebuild the shared world after a transactional test flushed the database (see
    attendance/tests/test_concurrency.py)."""
    yield
    with django_db_blocker.unblock():
        build_world()


@pytest.fixture
def committed_world(world_restored_after, transactional_db):
    build_world()
    return load_world()


def test_two_enrollments_into_the_last_place_at_once(committed_world):
    """Two people enroll two different children into a group with one free place at the
    same moment. Only the children were locked, so on PostgreSQL both checks saw one free
    place and both enrollments were written: the group went over capacity unconfirmed.
    (On SQLite writers are serialized by BEGIN IMMEDIATE; the test runs on PostgreSQL.)"""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writers; the race exists on PostgreSQL")
    a = committed_world.a
    group = a.groups["sun"]
    group.capacity = 3  # c1 and c2 are there: one free place
    group.save()
    kids = [new_child(a, f"Гонкин{i}") for i in range(2)]
    first_checks = threading.Event()
    original = services.events._check_capacity

    def slow_check(*args, **kwargs):
        result = original(*args, **kwargs)
        if not first_checks.is_set():
            first_checks.set()
            time.sleep(0.5)  # the other enrollment runs meanwhile
        return result

    outcome = {}

    def enroll(i):
        try:
            services.child_enroll(
                actor=a.actor("hr"), child=kids[i], group=group, on=D(2026, 9, 7), order=None
            )
            outcome[i] = "written"
        except services.CapacityWarning:
            outcome[i] = "warning"
        finally:
            connection.close()

    services.events._check_capacity = slow_check
    try:
        first = threading.Thread(target=enroll, args=(0,))
        first.start()
        first_checks.wait(5)
        second = threading.Thread(target=enroll, args=(1,))
        second.start()
        first.join()
        second.join()
    finally:
        services.events._check_capacity = original
    assert sorted(outcome.values()) == ["warning", "written"]
    assert Placement.objects.filter(group=group, child__in=kids).count() == 1


def test_cancelling_a_withdrawal_checks_the_capacity(world, as_role):
    """Cancelling a withdrawal puts the child back into the group: a full group got one
    child more without any warning."""
    a = world.a
    hr = a.actor("hr")
    group = a.groups["sun"]  # c1, c2
    withdrawal = services.child_withdraw(
        actor=hr, child=a.children["c2"], on=D(2026, 9, 30), order=None, reason="moved"
    )
    group.capacity = 2
    group.save()
    services.child_enroll(
        actor=hr, child=new_child(a), group=group, on=D(2026, 10, 5), order=None
    )  # 2 of 2 from 05.10
    with pytest.raises(services.CapacityWarning) as exc:
        services.movement_event_cancel(actor=hr, event=withdrawal, reason="ошибка")
    assert "В группе «Солнышко» на 05.10.2026 будет 3 ребёнка при наполняемости 2." in str(
        exc.value
    )
    assert not MovementEvent.objects.filter(cancels=withdrawal).exists()
    # HR sees the warning on the page; the coordinator confirms it.
    html = (
        as_role("hr")
        .post(f"/movement/events/{withdrawal.pk}/cancel/", {"reason": "ошибка"})
        .content.decode()
    )
    assert "будет 3 ребёнка при наполняемости 2" in html and "Обратитесь к координатору" in html
    coordinator = as_role("coordinator")
    response = coordinator.post(
        f"/movement/events/{withdrawal.pk}/cancel/",
        {"reason": "ошибка", "confirm_over_capacity": "on"},
    )
    assert response.status_code == 302
    cancel = MovementEvent.objects.get(cancels=withdrawal)
    assert cancel.over_capacity_confirmed
    record = AuditRecord.objects.get(action=AuditRecord.Action.CANCEL, object_id=str(withdrawal.pk))
    assert record.changes["over_capacity_confirmed"] is True
    assert Placement.objects.filter(group=group, end__isnull=True).count() == 3


def test_movement_report_for_the_widest_period(world, as_role):
    """«С 01.01.0001» made the report fail (the day before 01.01.0001 does not exist)."""
    html = as_role("hr").get("/movement/reports/movement/?start=0001-01-01&end=9999-12-31")
    assert html.status_code == 200
    # c1, c2 in «Солнышко» and c3 in «Радуга», enrolled on 01.09.2025: all arrived, none left.
    rows, total = summaries.movement_summary(world.a.actor("hr"), dt.date.min, dt.date.max)
    assert (total.at_start, total.enrolled, total.left, total.at_end) == (0, 3, 0, 3)


def _stars(a):
    from detsad.core.models import AgeCategory, Group

    return Group.objects.create(
        organization=a.org, name="Звёздочки", age_category=AgeCategory.MIDDLE, capacity=20
    )


def test_a_transfer_slipped_in_before_a_later_one_is_refused(world):
    """c1: «Солнышко» from 01.09.2025, «Радуга» from 15.01.2026 (the book: «Солнышко →
    Радуга»). A transfer to «Звёздочки» dated 10.01.2026 used to be accepted, and the book
    went on saying the 15.01 transfer came from «Солнышко» while the child was in
    «Звёздочки»."""
    a = world.a
    hr = a.actor("hr")
    c1 = a.children["c1"]
    services.child_transfer(
        actor=hr, child=c1, group=a.groups["rainbow"], on=D(2026, 1, 15), order=None
    )
    stars = _stars(a)
    before = MovementEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.child_transfer(actor=hr, child=c1, group=stars, on=D(2026, 1, 10), order=None)
    assert exc.value.messages == [
        "Иванов Иван Иванович: перевод 15.01.2026 записан из группы «Солнышко», а ребёнок на "
        "эту дату был бы в группе «Звёздочки»: запись не сходится с более поздними записями "
        "книги."
    ]
    assert MovementEvent.objects.count() == before


def test_cancelling_a_transfer_in_the_middle_is_refused(world):
    """Солнышко → Радуга (15.01) → Звёздочки (01.03): cancelling the first transfer left the
    second saying «Радуга → Звёздочки» for a child who stayed in «Солнышко»."""
    a = world.a
    hr = a.actor("hr")
    c1 = a.children["c1"]
    first = services.child_transfer(
        actor=hr, child=c1, group=a.groups["rainbow"], on=D(2026, 1, 15), order=None
    )
    services.child_transfer(actor=hr, child=c1, group=_stars(a), on=D(2026, 3, 2), order=None)
    with pytest.raises(ValidationError) as exc:
        services.movement_event_cancel(actor=hr, event=first, reason="ошибка")
    assert "перевод 02.03.2026 записан из группы «Радуга»" in exc.value.messages[0]
    assert not MovementEvent.objects.filter(cancels=first).exists()


def test_child_panel_says_ne_zachislena_for_a_girl(world, as_role):
    a = world.a
    girl = new_child(a, "Орлова", "Нина", "", "F")
    boy = new_child(a)
    client = as_role("hr")
    assert "не зачислена" in client.get(f"/people/children/{girl.pk}/").content.decode()
    html = client.get(f"/people/children/{boy.pk}/").content.decode()
    assert "не зачислен<" in html and "не зачислена" not in html
