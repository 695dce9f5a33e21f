"""Access administration as people do it: the sysadmin issues slips for a group's parents,
a parent logs in with a slip, must set a password and then sees only their own child; the
audit page shows who changed what; a guardian named <script> stays text (case C19).

The group is «Звёздочки», where no demo login is a parent, so the demo logins of other
tests keep their passwords.
"""

import io
import re

from playwright.sync_api import expect
from pypdf import PdfReader

GROUP = "Звёздочки"
NEW_PASSWORD = "Звезда-над-садом-2026"


def _slips(pdf_path) -> list[tuple[str, str, str]]:
    with open(pdf_path, "rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    text = "\n".join(p.extract_text() for p in reader.pages)
    return re.findall(
        r"родитель: ([^\n(«]+?) \(«"
        + GROUP
        + r"»\)\s*Адрес:\s*\S+\s*Логин:\s*(\S+)\s*Пароль:\s*(\S+)",
        text,
    )


def test_sysadmin_issues_slips_and_a_parent_logs_in_with_one(login_as, base_url, shot, browser):
    page = login_as("sysadmin")
    page.set_default_timeout(120_000)  # PDF of a whole group on a busy 2-core machine
    page.goto(f"{base_url}/accounts/users/")
    expect(page.get_by_test_id("users")).to_contain_text("coordinator")
    shot(page, "admin-accounts")
    page.goto(f"{base_url}/accounts/rights/")
    expect(page.get_by_test_id("rights")).to_contain_text("учётные записи, роли, пароли")
    shot(page, "admin-rights")

    page.goto(f"{base_url}/accounts/slips/")
    form = page.get_by_test_id("slips-group")
    form.get_by_label("Группа").select_option(label=GROUP)
    shot(page, "admin-slips")
    with page.expect_download(timeout=180_000) as download:
        form.get_by_role("button", name="Выдать и напечатать").click()
    slips = _slips(download.value.path())
    assert slips, "в листках нет родителей группы"
    child_name, login, password = slips[0]

    # the issue log names the sysadmin and the parent
    page.goto(f"{base_url}/accounts/issues/")
    expect(page.get_by_test_id("issues")).to_contain_text(login)

    parent_context = browser.new_context(locale="ru-RU", viewport={"width": 360, "height": 740})
    parent = parent_context.new_page()
    parent.goto(f"{base_url}/accounts/login/")
    parent.get_by_label("Логин или e-mail").fill(login)
    parent.get_by_label("Пароль").fill(password)
    parent.get_by_role("button", name="Войти").click()
    expect(parent.locator("h1")).to_have_text("Смена пароля")
    expect(parent.get_by_text("временным паролем")).to_be_visible()
    parent.get_by_label("Новый пароль", exact=True).fill(NEW_PASSWORD)
    parent.get_by_label("Подтверждение нового пароля").fill(NEW_PASSWORD)
    parent.get_by_role("button", name="Сменить пароль").click()
    children = parent.get_by_test_id("my-children")
    expect(children).to_contain_text(child_name.strip())
    shot(parent, "parent-first-login")
    own = children.locator("a").first.get_attribute("href")
    own_id = int(own.rstrip("/").split("/")[-1])
    # another child of the same group: not there for this parent
    for other in (own_id + 1, own_id - 1):
        response = parent.goto(f"{base_url}/people/children/{other}/")
        if response.status == 404:
            break
    else:
        raise AssertionError("соседний ребёнок открылся у родителя")
    response = parent.goto(f"{base_url}/api/children/?format=json")
    assert [c["id"] for c in response.json()["results"]] == [own_id]
    parent_context.close()

    # the slip's password worked once
    again = browser.new_context(locale="ru-RU").new_page()
    again.goto(f"{base_url}/accounts/login/")
    again.get_by_label("Логин или e-mail").fill(login)
    again.get_by_label("Пароль").fill(password)
    again.get_by_role("button", name="Войти").click()
    expect(again.get_by_role("alert")).to_contain_text("Неверный логин или пароль")
    again.context.close()


def test_audit_page_shows_who_changed_what(login_as, base_url, shot, browser):
    page = login_as("coordinator")
    page.goto(f"{base_url}/people/children/?q=")
    page.locator("table a").first.click()
    child_url = page.url
    page.goto(child_url + "edit/")
    page.get_by_label("Адрес проживания").fill("ст. Кавказская, ул. Проверочная, 7")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator("h1")).to_be_visible()

    head = browser.new_context(locale="ru-RU", viewport={"width": 1366, "height": 900}).new_page()
    head.goto(f"{base_url}/accounts/login/")
    head.get_by_label("Логин или e-mail").fill("head")
    head.get_by_label("Пароль").fill("detsad2026")
    head.get_by_role("button", name="Войти").click()
    head.goto(f"{base_url}/audit/?kind=people.child")
    audit = head.get_by_test_id("audit")
    expect(audit).to_contain_text("ул. Проверочная, 7")
    expect(audit).to_contain_text("адрес проживания")
    row = audit.locator("tr", has_text="ул. Проверочная, 7").first
    coordinator_name = row.locator("td").nth(1).inner_text()
    assert coordinator_name.strip(), "в журнале не указано, кто изменил"
    shot(head, "admin-audit")
    head.context.close()


def test_guardian_named_script_stays_text(login_as, base_url):
    page = login_as("coordinator")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{base_url}/people/children/?q=")
    page.locator("table a").nth(2).click()
    child_url = page.url
    page.goto(child_url + "guardians/add/")
    page.locator("[name=new-last_name]").fill("<script>alert(1)</script>")
    page.locator("[name=new-first_name]").fill("<img src=x onerror=alert(1)>")
    page.locator("[name=new-relation]").select_option("other")
    page.get_by_role("button", name="Добавить", exact=True).click()
    expect(page.get_by_test_id("guardians")).to_contain_text("<script>alert(1)</script>")
    guardian_link = page.get_by_test_id("guardians").get_by_role("link", name=re.compile("script"))
    guardian_link.click()
    expect(page.locator("h1")).to_contain_text("<script>alert(1)</script>")
    for url in ("/people/guardians/?q=script", "/people/children/?q=", "/"):
        page.goto(base_url + url)
    page.wait_for_timeout(300)
    assert dialogs == []


def test_absence_notice_with_markup_stays_text(login_as, base_url, browser):
    """A parent's absence notice whose comment is HTML: text on the parent's calendar, the
    staff's notice list and the group's day journal; no script runs (case C19)."""
    import datetime as dt

    markup = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    page = login_as("parent")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.get_by_test_id("parent-attendance-widget").get_by_role("link").first.click()
    calendar_url = page.url
    page.get_by_test_id("notify").click()
    start = dt.date.today() + dt.timedelta(days=21)
    while start.weekday() >= 5:
        start += dt.timedelta(days=1)
    page.locator("[name=start]").fill(start.isoformat())
    page.locator("[name=end]").fill(start.isoformat())
    page.locator("[name=comment]").fill(markup)
    page.get_by_test_id("send-notice").click()
    page.wait_for_load_state("networkidle")
    page.goto(calendar_url)
    expect(page.get_by_test_id("child-notices")).to_contain_text(markup)
    page.goto(f"{base_url}/attendance/notices/")
    page.wait_for_timeout(300)
    assert dialogs == []

    staff = browser.new_context(locale="ru-RU").new_page()
    staff.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    staff.goto(f"{base_url}/accounts/login/")
    staff.get_by_label("Логин или e-mail").fill("coordinator")
    staff.get_by_label("Пароль").fill("detsad2026")
    staff.get_by_role("button", name="Войти").click()
    staff.goto(f"{base_url}/attendance/notices/")
    expect(staff.locator("main")).to_contain_text(markup)
    row = staff.locator("tr", has_text=markup).first
    expect(row).to_be_visible()
    for url in ("/", "/attendance/"):
        staff.goto(base_url + url)
    staff.wait_for_timeout(300)
    staff.context.close()
    assert dialogs == []
