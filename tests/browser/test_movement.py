"""The movement book as the HR specialist uses it: two new children's files, one order
enrolling both, the order downloaded, one child transferred, the other withdrawn, and the
four entries in the book. Dates lie after the demo's history (December 2026 – January
2027), so other tests' data are untouched."""

import io
import re
from pathlib import Path

from docx import Document
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD

CHILDREN = [
    ("Браузеров", "Тимур", "Ильич", "M"),
    ("Браузерова", "Алиса", "Андреевна", "F"),
]


def _create_child(page, base_url, last, first, patronymic, sex):
    page.goto(f"{base_url}/people/children/new/")
    page.locator("#id_last_name").fill(last)
    page.locator("#id_first_name").fill(first)
    page.locator("#id_patronymic").fill(patronymic)
    page.locator("#id_birth_date").fill("12.05.2021")
    page.locator("#id_sex").select_option(sex)
    page.locator("#id_address").fill("352140, Краснодарский край, ст. Кавказская, ул. Мира, д. 7")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator("h1")).to_contain_text(f"{last} {first} {patronymic}")
    return page.url


def _tick(page, name):
    page.get_by_test_id("children-table").get_by_label(name).check()


def _login(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Логин или e-mail").fill(username)
    page.get_by_label("Пароль").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_load_state("networkidle")


def _save(page, browser, base_url, url, fill, button, shot_name=None, shot=None):
    """HR fills the form at `url` and saves. When the group would be over capacity (the
    shared demo database may already be full, e.g. after the children import), HR sees
    the warning and the coordinator, in a browser of their own, fills the same form and
    confirms it. Returns the order page's URL."""
    page.goto(url)
    fill(page)
    if shot_name:
        shot(page, shot_name, full_page=True)
    page.get_by_role("button", name=button, exact=True).click()
    warning = page.get_by_test_id("capacity-warning")
    if not warning.count():
        return page.url
    expect(warning).to_contain_text("Обратитесь к координатору")
    context = browser.new_context(locale="ru-RU", timezone_id="Europe/Moscow")
    coordinator = context.new_page()
    _login(coordinator, base_url, "coordinator")
    coordinator.goto(url)
    fill(coordinator)
    coordinator.get_by_role("button", name=button, exact=True).click()
    coordinator.get_by_label("Подтверждаю превышение наполняемости").check()
    coordinator.get_by_role("button", name=button, exact=True).click()
    expect(coordinator.locator("h1")).to_contain_text("Приказ")
    order_url = coordinator.url
    context.close()
    page.goto(order_url)
    return order_url


def _fill_enroll(page):
    form = page.get_by_test_id("enroll-form")
    form.locator("#id_group").select_option(label="Радуга")
    _tick(page, "Браузеров Тимур Ильич")
    _tick(page, "Браузерова Алиса Андреевна")
    form.locator("#id_order_number").fill("130-в")
    form.locator("#id_order_date").fill("30.11.2026")


def _fill_transfer(page):
    form = page.get_by_test_id("transfer-form")
    form.locator("#id_on").fill("11.01.2027")
    form.get_by_role("button", name="Обновить список").click()
    _tick(page, "Браузеров Тимур Ильич")
    form = page.get_by_test_id("transfer-form")
    form.locator("#id_group").select_option(label="Почемучки")
    form.locator("#id_order_number").fill("3-п")
    form.locator("#id_order_date").fill("10.01.2027")


def test_hr_enrolls_transfers_withdraws_and_sees_the_book(login_as, base_url, shot, browser):
    page = login_as("hr")
    urls = [_create_child(page, base_url, *c) for c in CHILDREN]

    # One order enrolls both children into «Радуга» from 01.12.2026.
    _save(
        page,
        browser,
        base_url,
        f"{base_url}/movement/enroll/?on=01.12.2026",
        _fill_enroll,
        "Зачислить",
        "movement-enroll",
        shot,
    )
    expect(page.locator("h1")).to_have_text("Приказ № 130-в от 30.11.2026")
    items = page.get_by_test_id("order-items")
    expect(items).to_contain_text("Браузеров Тимур Ильич")
    expect(items).to_contain_text("Браузерова Алиса Андреевна")
    shot(page, "movement-order")

    # The order, downloaded, names both children in the accusative.
    with page.expect_download() as info:
        page.get_by_test_id("order-docx").click()
    data = Path(info.value.path()).read_bytes()
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "Зачислить Браузерова Тимура Ильича, 12.05.2021 г. р., в старшую группу «Радуга»" in text
    assert (
        "Зачислить Браузерову Алису Андреевну, 12.05.2021 г. р., в старшую группу «Радуга»" in text
    )

    # Transfer the boy from his file: «Перевести», choose the date, refresh, tick, save.
    page.goto(urls[0])
    page.get_by_test_id("child-movement").get_by_role("link", name="Перевести").click()
    _save(page, browser, base_url, page.url, _fill_transfer, "Перевести")
    expect(page.get_by_test_id("order-items")).to_contain_text("Браузеров Тимур Ильич")

    # Withdraw the girl: her last day is 31.01.2027, at her parents' request.
    page.goto(f"{base_url}/movement/withdraw/")
    form = page.get_by_test_id("withdraw-form")
    form.locator("#id_on").fill("31.01.2027")
    form.get_by_role("button", name="Обновить список").click()
    _tick(page, "Браузерова Алиса Андреевна")
    form = page.get_by_test_id("withdraw-form")
    form.locator("#id_reason").select_option("parents")
    form.locator("#id_order_number").fill("5-о")
    form.locator("#id_order_date").fill("28.01.2027")
    form.get_by_role("button", name="Отчислить").click()
    expect(page.get_by_role("alert").first).to_contain_text("Отчислено детей: 1")

    # The book shows all four entries.
    page.goto(f"{base_url}/movement/book/?start=01.09.2026&end=31.08.2027&q=Браузеров")
    book = page.get_by_test_id("book")
    expect(book.locator("tbody tr")).to_have_count(4)
    expect(book.locator('tr[data-kind="enroll"]')).to_have_count(2)
    expect(book.locator('tr[data-kind="transfer"]')).to_contain_text("Радуга → Почемучки")
    expect(book.locator('tr[data-kind="withdraw"]')).to_contain_text(
        re.compile("по заявлению родителей")
    )
    shot(page, "movement-book", full_page=True)

    # The girl's file shows her history ending with the withdrawal.
    page.goto(urls[1])
    expect(page.get_by_test_id("child-movement")).to_contain_text("Отчисление")


def test_department_officer_sees_the_summary_of_all_kindergartens(login_as, base_url, shot):
    page = login_as("uo")
    page.goto(f"{base_url}/movement/reports/movement/?start=01.09.2026&end=30.11.2026")
    table = page.get_by_test_id("movement-summary")
    expect(table).to_contain_text("МБДОУ д/с № 24")
    expect(table.locator("tbody tr")).to_have_count(3)
    shot(page, "movement-report")


def test_book_on_a_phone(page, login_as, base_url):
    page.set_viewport_size({"width": 360, "height": 740})
    login_as("hr")
    page.goto(f"{base_url}/movement/book/")
    expect(page.get_by_test_id("book")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"страница шире экрана телефона: {width}px"
