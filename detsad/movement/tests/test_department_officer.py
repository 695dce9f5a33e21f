"""The department officer and the movement book (DESIGN.md §4, 152-FZ minimisation): the
book and orders of the municipality are readable as figures — the summaries, occupancy,
the order registry with the number of children — but children's names are not shown."""

from detsad.movement import selectors, services
from detsad.movement.models import WithdrawalReason

from .helpers import D, new_child, order


def test_the_book_sends_the_officer_to_the_summaries(world, as_role):
    officer = as_role("dept_officer")
    response = officer.get("/movement/book/", follow=True)
    assert response.redirect_chain[-1][0] == "/movement/reports/movement/"
    html = response.content.decode()
    assert "Книга движения содержит персональные данные детей" in html
    assert world.a.children["c1"].last_name not in html
    assert officer.get("/movement/book/xlsx/").status_code == 403
    assert officer.get("/movement/book/pdf/").status_code == 403
    assert (
        "Иванов Иван"
        in as_role("hr").get("/movement/book/?start=01.09.2025&end=31.08.2026").content.decode()
    )


def test_orders_show_counts_not_names(world, as_role):
    a = world.a
    hr = a.actor("hr")
    o = order(hr, a, "21-в", D(2026, 1, 9))
    kids = [new_child(a, last="Кузнецов"), new_child(a, last="Морозов")]
    services.children_enroll(
        actor=hr, children=kids, group=a.groups["sun"], on=D(2026, 1, 12), order=o
    )
    services.child_withdraw(
        actor=hr,
        child=a.children["c3"],
        on=D(2026, 1, 30),
        order=order(hr, a, "22-в", D(2026, 1, 28)),
        reason=WithdrawalReason.MOVED,
    )
    officer = as_role("dept_officer")
    registry = officer.get("/movement/orders/").content.decode()
    assert "№ 21-в" in registry and "Кузнецов" not in registry
    assert f"/movement/orders/{o.pk}/docx/" not in registry  # no links that would 404
    html = officer.get(f"/movement/orders/{o.pk}/").content.decode()
    assert 'data-testid="order-children-count">2<' in html
    assert (
        "Кузнецов" not in html and "Морозов" not in html and 'data-testid="order-docx"' not in html
    )
    assert officer.get(f"/movement/orders/{o.pk}/docx/").status_code == 404
    assert officer.get(f"/movement/orders/{o.pk}/pdf/").status_code == 404
    # the staff of the kindergarten see the names and download the order
    hr_client = as_role("hr")
    assert "Кузнецов" in hr_client.get(f"/movement/orders/{o.pk}/").content.decode()
    assert hr_client.get(f"/movement/orders/{o.pk}/docx/").status_code == 200
    # the summary shows the figures of all kindergartens of the municipality
    report = officer.get("/movement/reports/movement/?start=01.01.2026&end=31.01.2026")
    assert report.status_code == 200 and "Кузнецов" not in report.content.decode()
    assert "Приказы" in officer.get("/").content.decode()


def test_selectors_give_the_officer_no_named_rows(world):
    from detsad.core.middleware import actor_for

    officer = actor_for(world.dept_officers["m1"], f"mun:{world.municipality.pk}")
    assert not selectors.sees_children_names(officer)
    assert selectors.book_events(officer).count() == 0
    assert selectors.sees_children_names(world.a.actor("educator"))
    assert selectors.sees_children_names(world.a.actor("sysadmin"))
