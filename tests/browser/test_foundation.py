"""Foundation as a person uses it: every demo login sees its role's home page and
nothing of other kindergartens."""

import re

from playwright.sync_api import expect


def test_coordinator_sees_groups_with_occupancy(login_as, base_url, shot):
    page = login_as("coordinator")
    expect(page.get_by_test_id("occupancy-widget")).to_contain_text("Солнышко")
    expect(page.get_by_test_id("occupancy-widget")).to_contain_text("Почемучки")
    shot(page, "coordinator-dashboard")


def test_educator_sees_own_group_only(login_as, base_url):
    page = login_as("educator")
    widget = page.get_by_test_id("occupancy-widget")
    expect(widget).to_contain_text("Солнышко")
    expect(widget).not_to_contain_text("Радуга")


def test_parent_sees_own_children_only(login_as, base_url, shot):
    page = login_as("parent")
    expect(page.get_by_test_id("my-children")).to_be_visible()
    shot(page, "parent-dashboard")
    page.goto(f"{base_url}/people/children/1/")
    # child 1 belongs to another family: the page does not exist for this parent
    assert (
        page.locator("h1").first.inner_text() in ("Страница не найдена",)
        or "Кулак" not in page.content()
    )


def test_department_officer_sees_kindergartens(login_as, base_url, shot):
    page = login_as("uo")
    expect(page.get_by_test_id("organizations-widget")).to_contain_text("МБДОУ д/с № 24")
    expect(page.get_by_test_id("organizations-widget")).to_contain_text("Итого")
    shot(page, "department-dashboard")


def test_head_of_other_kindergarten_cannot_open_a_child_of_ds24(login_as, base_url):
    page = login_as("head7")
    page.goto(f"{base_url}/people/children/?q=")
    expect(page.locator("h1")).to_have_text("Воспитанники")
    # a child file of д/с № 24 opened by id answers 404
    response = page.goto(f"{base_url}/people/children/1/")
    assert response.status == 404


def test_wrong_password_is_refused_in_russian(page, base_url):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Логин или e-mail").fill("coordinator")
    page.get_by_label("Пароль").fill("wrong-password")
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("alert")).to_contain_text(re.compile("Неверный логин или пароль"))


def test_the_menu_fits_a_desktop_window(login_as, base_url):
    """The longest menus (head, coordinator, superuser) wrap instead of pushing the
    organization and the user menu past the right edge at 1280 and 1366 px."""
    for username in ("head", "coordinator", "admin"):
        page = login_as(username)
        for width in (1280, 1366):
            page.set_viewport_size({"width": width, "height": 900})
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (
                username,
                width,
            )
            box = page.get_by_test_id("user-menu").bounding_box()
            assert box["x"] + box["width"] <= width, (username, width)
        page.set_viewport_size({"width": 360, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, username
        page.set_viewport_size({"width": 1366, "height": 900})
        page.context.clear_cookies()


def test_a_person_of_two_kindergartens_switches_in_the_header(login_as, base_url):
    """The demo sysadmin serves «МБДОУ д/с № 24» (first membership, the default) and one more
    kindergarten; switching in the header changes whose people the pages show."""
    page = login_as("sysadmin")
    switcher = page.get_by_test_id("org-switcher")
    expect(switcher).to_contain_text("МБДОУ д/с № 24")
    switcher.click()
    menu = page.locator("li.dropdown", has=page.get_by_test_id("org-switcher"))
    other = menu.locator("button.dropdown-item").filter(has_not_text="МБДОУ д/с № 24")
    expect(other).to_have_count(1)
    name = other.inner_text().strip()
    other.click()
    expect(page.get_by_test_id("org-switcher")).to_contain_text(name)
    page.get_by_test_id("org-switcher").click()
    menu.locator("button.dropdown-item", has_text="МБДОУ д/с № 24").click()
    expect(page.get_by_test_id("org-switcher")).to_contain_text("МБДОУ д/с № 24")
