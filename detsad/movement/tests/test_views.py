"""The pages as people use them: enroll several children with one order, transfer a
whole group, withdraw, cancel, the capacity warning, the order registry, signing,
downloads, the child's panel, the organization's templates."""

import io

from docx import Document

from detsad.core.models import AuditRecord
from detsad.movement import selectors, services
from detsad.movement.models import DocumentTemplate, EducationContract, MovementEvent, Order

from .helpers import D, add_mother, new_child, order
from .test_documents import make_docx


def test_enroll_two_children_with_one_new_order(world, as_role):
    a = world.a
    boy = new_child(a, "Кузнецов", "Артём", "Олегович")
    girl = new_child(a, "Шевчук", "Анна", "Олеговна", "F")
    mother = add_mother(girl, "Шевчук", "Ирина", "Петровна")
    client = as_role("hr")
    page = client.get("/movement/enroll/?on=12.01.2026")
    html = page.content.decode()
    assert "Кузнецов Артём Олегович" in html and "Шевчук Анна Олеговна" in html
    assert "Иванов Иван Иванович" not in html  # already in a group
    response = client.post(
        "/movement/enroll/",
        {
            "action": "save",
            "on": "12.01.2026",
            "group": a.groups["rainbow"].pk,
            "children": [boy.pk, girl.pk],
            f"contract_num_{girl.pk}": "15",
            f"contract_date_{girl.pk}": "09.01.2026",
            f"guardian_{girl.pk}": mother.pk,
            f"ref_num_{boy.pk}": "Н-7",
            f"ref_date_{boy.pk}": "20.12.2025",
            "order_number": "2-в",
            "order_date": "09.01.2026",
        },
    )
    o = Order.objects.get(organization=a.org, number="2-в")
    assert response.status_code == 302 and response["Location"] == f"/movement/orders/{o.pk}/"
    events = MovementEvent.objects.filter(order=o).order_by("child__last_name")
    assert [(e.child, e.group, e.on) for e in events] == [
        (boy, a.groups["rainbow"], D(2026, 1, 12)),
        (girl, a.groups["rainbow"], D(2026, 1, 12)),
    ]
    assert events[0].referral_number == "Н-7" and events[0].referral_date == D(2025, 12, 20)
    contract = EducationContract.objects.get(child=girl)
    assert (contract.number, contract.guardian, events[1].contract) == ("15", mother, contract)
    page = client.get(response["Location"]).content.decode()
    assert "Кузнецов Артём Олегович" in page and "на подписи у заведующего" in page


def test_form_errors_are_shown_and_nothing_written(world, as_role):
    a = world.a
    kid = new_child(a)
    client = as_role("hr")
    before = MovementEvent.objects.count(), Order.objects.count()
    html = client.post(
        "/movement/enroll/",
        {"action": "save", "on": "12.01.2026", "group": a.groups["sun"].pk, "children": [kid.pk]},
    ).content.decode()
    assert "Выберите приказ или укажите номер и дату нового приказа." in html
    html = client.post(
        "/movement/enroll/",
        {
            "action": "save",
            "on": "12.01.2026",
            "group": a.groups["sun"].pk,
            "children": [kid.pk],
            "order_number": "1-в",
            "order_date": "01.12.2025",
        },
    ).content.decode()
    assert "Приказ № 1-в за 2025 год уже есть." in html
    assert (MovementEvent.objects.count(), Order.objects.count()) == before


def test_capacity_warning_then_the_coordinator_confirms(world, as_role):
    a = world.a
    a.groups["sun"].capacity = 2
    a.groups["sun"].save()
    kid = new_child(a)
    data = {
        "action": "save",
        "on": "12.01.2026",
        "group": a.groups["sun"].pk,
        "children": [kid.pk],
        "order_number": "3-в",
        "order_date": "09.01.2026",
    }
    html = as_role("hr").post("/movement/enroll/", data).content.decode()
    assert "В группе «Солнышко» на 12.01.2026 будет 3 ребёнка при наполняемости 2." in html
    assert "подтвердить превышение может только он" in html
    assert not Order.objects.filter(number="3-в").exists()  # the new order rolled back too
    coordinator = as_role("coordinator")
    html = coordinator.post("/movement/enroll/", data).content.decode()
    assert 'name="confirm_over_capacity"' in html
    response = coordinator.post("/movement/enroll/", {**data, "confirm_over_capacity": "on"})
    assert response.status_code == 302
    assert MovementEvent.objects.get(child=kid).over_capacity_confirmed


def test_transfer_a_whole_group_and_withdraw(world, as_role):
    a = world.a
    client = as_role("hr")
    sun = a.groups["sun"]
    page = client.get(f"/movement/transfer/?on=01.06.2026&from_group={sun.pk}").content.decode()
    assert "Иванов Иван Иванович" in page and "Петрова Мария Сергеевна" in page
    assert "Сидоров" not in page  # «Радуга»
    response = client.post(
        "/movement/transfer/",
        {
            "action": "save",
            "on": "01.06.2026",
            "from_group": sun.pk,
            "group": a.groups["rainbow"].pk,
            "children": [a.children["c1"].pk, a.children["c2"].pk],
            "order_number": "30-п",
            "order_date": "29.05.2026",
        },
    )
    assert response.status_code == 302
    assert list(selectors.children_in(sun, D(2026, 6, 1))) == []
    assert selectors.children_in(a.groups["rainbow"], D(2026, 6, 1)).count() == 3
    response = client.post(
        "/movement/withdraw/",
        {
            "action": "save",
            "on": "31.08.2026",
            "children": [a.children["c3"].pk],
            "reason": "school",
            "destination": "МБОУ СОШ № 1",
            "order_number": "41-о",
            "order_date": "25.08.2026",
        },
    )
    assert response.status_code == 302
    event = MovementEvent.objects.get(child=a.children["c3"], kind="withdraw")
    assert (event.reason, event.destination, event.group) == (
        "school",
        "МБОУ СОШ № 1",
        a.groups["rainbow"],
    )


def test_refresh_redraws_without_writing(world, as_role):
    a = world.a
    before = MovementEvent.objects.count()
    html = (
        as_role("hr")
        .post(
            "/movement/withdraw/",
            {"action": "refresh", "on": "10.01.2026", "from_group": a.groups["rainbow"].pk},
        )
        .content.decode()
    )
    assert "Сидоров Пётр Андреевич" in html and "Иванов" not in html
    assert MovementEvent.objects.count() == before


def test_cancel_page(world, as_role):
    a = world.a
    event = services.child_transfer(
        actor=a.actor("hr"),
        child=a.children["c1"],
        group=a.groups["rainbow"],
        on=D(2026, 1, 15),
        order=None,
    )
    client = as_role("coordinator")
    assert (
        "Отмена записи книги движения"
        in client.get(f"/movement/events/{event.pk}/cancel/").content.decode()
    )
    html = client.post(f"/movement/events/{event.pk}/cancel/", {"reason": ""}).content.decode()
    assert "Обязательное поле" in html
    response = client.post(f"/movement/events/{event.pk}/cancel/", {"reason": "ошибка в приказе"})
    assert response.status_code == 302
    assert MovementEvent.objects.get(cancels=event).reason_text == "ошибка в приказе"
    assert as_role("educator").get(f"/movement/events/{event.pk}/cancel/").status_code == 403


def test_order_registry_sign_and_downloads(world, as_role, django_assert_max_num_queries):
    a = world.a
    hr = a.actor("hr")
    o = order(hr, a, "2-в", D(2026, 1, 9))
    services.child_enroll(
        actor=hr, child=new_child(a), group=a.groups["sun"], on=D(2026, 1, 12), order=o
    )
    client = as_role("hr")
    html = client.get("/movement/orders/?signed=no").content.decode()
    assert "№ 2-в от 09.01.2026" in html and "на подписи" in html
    assert client.post(f"/movement/orders/{o.pk}/sign/").status_code == 403
    head = as_role("head")
    assert "Подписать" in head.get(f"/movement/orders/{o.pk}/").content.decode()
    head.post(f"/movement/orders/{o.pk}/sign/")
    o.refresh_from_db()
    assert o.is_signed and o.signed_by == a.users["head"]
    assert AuditRecord.objects.filter(object_id=str(o.pk), note="приказ подписан").exists()
    html = client.get("/movement/orders/?signed=yes&year=2026").content.decode()
    assert "№ 2-в от 09.01.2026" in html and "подписан" in html
    response = client.get(f"/movement/orders/{o.pk}/docx/")
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert "attachment" in response["Content-Disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "Зачислить Кузнецова Артёма Олеговича" in text
    assert client.get(f"/movement/orders/{o.pk}/pdf/").content.startswith(b"%PDF")
    # The registry's query count does not grow with orders.
    client.get("/movement/orders/")
    with django_assert_max_num_queries(10):
        client.get("/movement/orders/")
    for i in range(10):
        extra = order(hr, a, f"{100 + i}-в", D(2026, 2, 1))
        services.child_enroll(
            actor=hr,
            child=new_child(a, f"Ещё{i}"),
            group=a.groups["sun"],
            on=D(2026, 2, 2),
            order=extra,
        )
    with django_assert_max_num_queries(10):
        assert "№ 109-в" in client.get("/movement/orders/").content.decode()


def test_department_officer_sees_orders_of_all_kindergartens(world, as_role):
    html = as_role("dept_officer").get("/movement/orders/").content.decode()
    assert "ДОО A" in html and "ДОО B" in html and "ДОО C" not in html


def test_child_panel_shows_history_and_actions(world, as_role):
    a = world.a
    c1 = a.children["c1"]
    services.contract_create(actor=a.actor("hr"), child=c1, number="8", date=D(2025, 8, 25))
    html = as_role("hr").get(f"/people/children/{c1.pk}/").content.decode()
    assert 'data-testid="child-movement"' in html
    assert "приказ № 1-в" in html.lower() or "№ 1-в от 01.09.2025" in html
    assert "/movement/transfer/?child=" in html and "договор № 8 от 25.08.2025" in html
    response = as_role("educator").get(f"/people/children/{c1.pk}/")
    html = response.content.decode()
    assert "Зачисление" in html and "/movement/transfer/?child=" not in html


def test_contract_form(world, as_role):
    a = world.a
    c2 = a.children["c2"]
    client = as_role("hr")
    response = client.post(
        f"/movement/children/{c2.pk}/contracts/new/",
        {
            "number": "21",
            "date": "25.08.2025",
            "guardian": a.guardians["c2"].pk,
            "group": a.groups["sun"].pk,
        },
    )
    assert response.status_code == 302
    contract = EducationContract.objects.get(child=c2)
    assert (contract.regime, contract.orientation, contract.study_term) == (
        "full",
        "general",
        "4 года",
    )
    assert client.get(f"/movement/contracts/{contract.pk}/pdf/").content.startswith(b"%PDF")


def test_templates_page_upload_download_delete(world, as_role):
    a = world.a
    client = as_role("coordinator")
    assert "шаблон системы" in client.get("/movement/templates/").content.decode()
    ours = client.get("/movement/templates/default/?kind=contract")
    assert "{{ contract.number }}" in "\n".join(
        p.text for p in Document(io.BytesIO(ours.content)).paragraphs
    )
    upload = io.BytesIO(make_docx("Наш договор № {{ contract.number }} с {{ guardian.name }}"))
    upload.name = "договор.docx"
    response = client.post("/movement/templates/", {"kind": "contract", "file": upload})
    assert response.status_code == 302
    template = DocumentTemplate.objects.get(organization=a.org, kind="contract")
    current = client.get("/movement/templates/current/?kind=contract")
    assert "Наш договор" in "\n".join(
        p.text for p in Document(io.BytesIO(current.content)).paragraphs
    )
    bad = io.BytesIO(b"nonsense")
    bad.name = "x.docx"
    html = client.post(
        "/movement/templates/", {"kind": "order_enroll", "file": bad}
    ).content.decode()
    assert "«x.docx»: содержимое не похоже на Word (DOCX)" in html  # core.uploads validator
    assert client.get("/movement/templates/default/?kind=nope").status_code == 404
    client.post(f"/movement/templates/{template.pk}/delete/")
    assert not DocumentTemplate.objects.filter(organization=a.org).exists()


def test_menu_items(world, as_role):
    html = as_role("hr").get("/").content.decode()
    for title in (
        "Книга движения",
        "Приказы",
        "Зачислить",
        "Движение воспитанников",
        "Наполняемость групп",
    ):
        assert title in html
    html = as_role("dept_officer").get("/").content.decode()
    assert "Движение воспитанников" in html and "Зачислить" not in html
    html = as_role("parent").get("/").content.decode()
    assert "Книга движения" not in html


def test_head_sees_orders_waiting_for_the_signature(world, as_role):
    a = world.a
    hr = a.actor("hr")
    o = order(hr, a, "2-в", D(2026, 1, 9))
    order(hr, a, "3-в", D(2026, 1, 9))  # empty: nothing to sign yet
    services.child_enroll(
        actor=hr, child=new_child(a), group=a.groups["sun"], on=D(2026, 1, 12), order=o
    )
    html = as_role("head").get("/").content.decode()
    assert 'data-testid="orders-to-sign"' in html and "№ 2-в от 09.01.2026" in html
    assert "№ 3-в" not in html
    assert 'data-testid="orders-to-sign"' not in as_role("hr").get("/").content.decode()
