"""The attendance journal as people use it: an educator marks a day on a phone (360×740)
with one absence for illness and finds it in the month grid; the coordinator closes the
month and downloads the timesheet 0504608.

"Today" is the real date: when it is not a working day the journal offers the last working
day, which the educator opens (a past working day of an open month can be corrected).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess

from playwright.sync_api import expect

from .conftest import DEMO_PASSWORD, DOCS_IMG


def _login(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Логин или e-mail").fill(username)
    page.get_by_label("Пароль").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_load_state("networkidle")


def test_educator_marks_on_a_phone_and_coordinator_closes_the_month(
    browser, browser_context_args, base_url, page, shot
):
    phone = browser.new_context(
        **{**browser_context_args, "viewport": {"width": 360, "height": 740}},
        is_mobile=True,
        has_touch=True,
    )
    mobile = phone.new_page()
    _login(mobile, base_url, "educator")
    mobile.get_by_test_id("journal-link").filter(has_text="Солнышко").click()
    mobile.wait_for_load_state("networkidle")
    if mobile.get_by_test_id("day-off").count():
        mobile.get_by_test_id("last-working-day").click()
        mobile.wait_for_load_state("networkidle")
    match = re.search(r"/attendance/groups/(\d+)/day/(\d{4})-(\d{2})-(\d{2})/", mobile.url)
    assert match, mobile.url
    group_pk, year, month, day = match.groups()
    rows = mobile.get_by_test_id("child-row")
    expect(rows.first).to_be_visible()
    present = rows.filter(has=mobile.locator("input.att-present:checked"))
    no_notice = rows.filter(has_not=mobile.locator(".badge.text-bg-warning"))
    pick = (present if present.count() else no_notice).first
    child_pk = pick.get_attribute("data-child")
    row = mobile.locator(f'[data-testid="child-row"][data-child="{child_pk}"]')
    name = row.locator(".att-name").inner_text().split("\n")[0].strip()
    row.locator("label", has_text="Нет").click()
    row.locator(".att-reasons label", has_text="Б").click()
    expect(row.locator(".att-reasons")).to_be_visible()
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll
    mobile.get_by_test_id("all-present").click()
    expect(mobile.get_by_test_id("saved")).to_contain_text("изменено отметок")
    expect(mobile.get_by_test_id("day-status")).to_contain_text("Отмечено")
    shot(mobile, "attendance-today")

    mobile.get_by_test_id("month-link").click()
    mobile.wait_for_load_state("networkidle")
    cell = mobile.locator(f'tr[data-child="{child_pk}"] td[data-day="{int(day)}"]')
    expect(cell).to_have_text("Б")
    phone.close()

    _login(page, base_url, "coordinator")
    page.goto(f"{base_url}/attendance/months/?month={year}-{month}")
    if page.locator("#confirm-close").count():
        page.locator("#confirm-close").check()
    page.get_by_test_id("close-month").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("month-state")).to_contain_text("закрыт")

    page.goto(f"{base_url}/attendance/groups/{group_pk}/month/{year}-{month}/")
    expect(page.get_by_test_id("month-closed")).to_be_visible()
    cell = page.locator(f'tr[data-child="{child_pk}"] td[data-day="{int(day)}"]')
    expect(cell).to_contain_text("Б")
    shot(page, "attendance-month", full_page=True)

    with page.expect_download() as info:
        page.get_by_test_id("timesheet-pdf").click()
    download = info.value
    assert download.suggested_filename.startswith("Табель 0504608 Солнышко")
    with open(download.path(), "rb") as fh:
        content = fh.read()
    assert content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "0504608" in text and name.split()[0] in text and "Б" in text
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:  # the first page of the form as the guide's picture
        subprocess.run(
            [
                pdftoppm,
                "-r",
                "90",
                "-png",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                download.path(),
                str(DOCS_IMG / "attendance-timesheet"),
            ],
            check=True,
        )
    else:
        shot(page, "attendance-timesheet")


def test_parent_sees_the_calendar_and_reports_an_absence(login_as, base_url):
    page = login_as("parent")
    widget = page.get_by_test_id("parent-attendance-widget")
    expect(widget).to_be_visible()
    widget.get_by_role("link").first.click()
    expect(page.get_by_test_id("child-calendar")).to_be_visible()
    expect(page.get_by_test_id("child-notices")).to_contain_text("Семейный отпуск")


def test_department_officer_sees_attendance_by_kindergarten(login_as, base_url):
    page = login_as("uo")
    page.goto(f"{base_url}/attendance/reports/summary/?start=2026-10-01&end=2026-10-31")
    table = page.get_by_test_id("summary")
    expect(table).to_contain_text("МБДОУ д/с № 24")
    expect(page.get_by_test_id("total-pct")).to_have_text(re.compile(r"^\d{2}[,.]\d$"))
