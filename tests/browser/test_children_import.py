"""The coordinator imports children.xlsx into «МБДОУ д/с № 24» as a person would: upload with
the order, preview, confirm, then opens a child, adds a guardian and finds the child by
surname. The import adds the 40 sample children (accounts 240001–240040) to the shared
demo database; demo children there use accounts 241001+, so nothing clashes."""

import re

from playwright.sync_api import expect

ORDER_NUMBER = "150-и"


def test_coordinator_imports_the_children_list(login_as, base_url, shot, samples_dir):
    page = login_as("coordinator")
    page.goto(f"{base_url}/people/children/")
    page.get_by_role("link", name="Загрузить список").click()
    expect(page.locator("h1")).to_have_text("Загрузка списка детей")

    page.get_by_label("Список детей (.xlsx или .csv)").set_input_files(
        str(samples_dir / "children.xlsx")
    )
    page.get_by_label("Номер приказа").fill(ORDER_NUMBER)
    page.get_by_label("Дата приказа").fill("01.09.2026")
    shot(page, "children-import-upload")
    page.get_by_role("button", name="Проверить и показать").click()

    expect(page.get_by_test_id("count-new")).to_have_text("40")
    expect(page.get_by_test_id("count-errors")).to_have_text("0")
    rows = page.get_by_test_id("import-rows")
    expect(rows).to_contain_text("Кулакова Мария Харитоновна")
    expect(rows.locator("tbody tr")).to_have_count(40)
    expect(page.get_by_text(f"Приказ о зачислении № {ORDER_NUMBER} от 01.09.2026")).to_be_visible()
    shot(page, "children-import-preview")

    # The demo closed September and October 2026: the enrollments of 01.09 change them, so
    # they go in as a correction with a reason. The demo groups have room for the list.
    expect(page.get_by_test_id("import-closed-months")).to_contain_text("сентябрь 2026")
    confirm = page.get_by_test_id("import-confirm")
    expect(confirm.get_by_label("Подтверждаю превышение наполняемости")).to_have_count(0)
    confirm.get_by_label("Причина исправления (зачисление в закрытом месяце)").fill(
        "список воспитанников загружен после закрытия табеля"
    )
    confirm.get_by_role("button", name=re.compile("Загрузить: 40 детей")).click()
    expect(page.get_by_test_id("import-result")).to_contain_text("Добавлено детей: 40")
    expect(page.get_by_test_id("import-result")).to_contain_text("Группа «Капелька»: 8")

    # Open a child of the list.
    page.goto(f"{base_url}/people/children/?q=Мамонтов")
    page.get_by_role("link", name="Мамонтов Любосмысл Виленович").click()
    expect(page.locator("h1")).to_contain_text("Мамонтов Любосмысл Виленович")
    guardians = page.get_by_test_id("guardians")
    expect(guardians).to_contain_text("Мамонтова Анна Вячеславовна")
    expect(page.get_by_text("240025", exact=True).first).to_be_visible()

    # Add a guardian (the grandmother).
    page.get_by_role("link", name="Добавить родителя").click()
    page.locator("#id_new-relation").select_option(label="бабушка")
    page.locator("#id_new-last_name").fill("Мамонтова")
    page.locator("#id_new-first_name").fill("Валентина")
    page.locator("#id_new-patronymic").fill("Петровна")
    page.locator("#id_new-phone").fill("8 (918) 123-45-67")
    page.get_by_role("button", name="Добавить", exact=True).click()
    expect(page.get_by_role("alert").first).to_contain_text("Родитель добавлен")
    expect(guardians).to_contain_text("Мамонтова Валентина Петровна")
    expect(guardians).to_contain_text("+79181234567")
    expect(guardians).to_contain_text("бабушка")
    shot(page, "child-file")

    # The child file reads on a phone without sideways scrolling.
    page.set_viewport_size({"width": 360, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1366, "height": 900})

    # Find children by surname in the list.
    page.goto(f"{base_url}/people/children/")
    page.get_by_label("Поиск").fill("Кудряшова")
    expect(page.locator("#child-rows")).to_contain_text("Кудряшова Юлия Кирилловна")
    expect(page.locator("#child-rows")).to_contain_text("Кудряшова Алевтина Станиславовна")
    expect(page.locator("#child-rows")).not_to_contain_text("Мамонтов")
    shot(page, "children-list")


def test_broken_list_is_refused_whole(login_as, base_url, samples_dir):
    page = login_as("coordinator")
    page.goto(f"{base_url}/movement/children/import/")
    page.get_by_label("Список детей (.xlsx или .csv)").set_input_files(
        str(samples_dir / "children_broken.xlsx")
    )
    page.get_by_label("начальные данные (история до внедрения системы)").check()
    page.get_by_role("button", name="Проверить и показать").click()
    faults = page.get_by_test_id("import-faults")
    # the nine mistakes of the file (more when children.xlsx, with the same account
    # numbers, was imported earlier in this session's shared database)
    for text in (
        "не указана дата рождения",
        "дата рождения не может быть в будущем (01.05.2027)",
        "неверные контрольные цифры (должны быть 95)",
        "группа «Непоседы» не найдена",
        "такой даты нет: «31.02.2021»",
        "не указана фамилия",
        "телефон «12-34» не похож на номер",
        "пол «X» не распознан",
        "тот же ребёнок, что в строке 4",
    ):
        expect(faults).to_contain_text(text)
    expect(page.get_by_test_id("import-blocked")).to_contain_text("Ничего не будет записано")
    expect(page.get_by_test_id("import-confirm")).to_have_count(0)
