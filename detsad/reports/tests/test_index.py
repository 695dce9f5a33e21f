"""The reports index lists the reports the actor's role may open."""


def test_parent_has_no_reports(world, as_role):
    response = as_role("parent").get("/reports/")
    assert response.status_code == 200
    assert "Для вашей роли отчётов нет." in response.content.decode()


def test_index_lists_only_report_section_items(world, as_role):
    response = as_role("coordinator").get("/reports/")
    assert all(item.section == "Отчёты" for item in response.context["items"])
