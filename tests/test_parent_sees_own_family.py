"""A parent sees only their own child's data (issue 6, DESIGN.md §4, 152-FZ).

Every page a parent can open — each URL without an object id, and each URL that takes
their own child's id — is requested; none may show another family (c2 Петрова, c3 Сидоров,
their guardians), and of the child's other guardian (a father added here) only the name and
relation: no phone, e-mail, address or passport. The API and the personal-data export too.
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from detsad.people.models import ChildGuardian, Guardian
from tests.test_access import ROUTES

OTHER_FAMILIES = ["Петрова", "Мама c2", "Сидоров", "Мама c3"]
FATHER_SECRETS = ["+79990001122", "father@example.org", "ул. Отцовская", "987654", "Завод"]


@pytest.fixture
def father(world):
    guardian = Guardian.objects.create(
        organization=world.a.org,
        last_name="Иванов",
        first_name="Отец",
        patronymic="Петрович",
        phone="+79990001122",
        email="father@example.org",
        address="ул. Отцовская, 1",
        workplace="Завод",
        passport_series="4510",
        passport_number="987654",
    )
    ChildGuardian.objects.create(child=world.a.children["c1"], guardian=guardian, relation="father")
    return guardian


def _plain_routes():
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, ns=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    continue
                inner = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
                yield from walk(p.url_patterns, inner)
            elif isinstance(p, URLPattern) and p.name and not p.pattern.regex.groupindex:
                yield f"{ns}:{p.name}" if ns else p.name

    return sorted(set(walk(get_resolver().url_patterns)))


def test_parent_pages_show_no_other_family_and_no_co_guardian_contacts(world, as_role, father):
    client = as_role("parent")
    c1 = world.a.children["c1"]
    urls = [reverse(name) for name in _plain_routes()]
    urls += [
        reverse(r.name, kwargs={"child_pk": c1.pk}) for r in ROUTES if r.kwargs == ("child_pk",)
    ]
    opened = []
    for url in urls:
        if url.startswith(("/accounts/logout", "/admin")):
            continue
        response = client.get(url)
        if response.status_code != 200:
            continue
        opened.append(url)
        body = response.content.decode(errors="replace")
        for secret in OTHER_FAMILIES + FATHER_SECRETS:
            assert secret not in body, f"{url} shows «{secret}»"
    card = client.get(reverse("people:child_detail", args=[c1.pk])).content.decode()
    assert "Иванов Отец Петрович" in card and "контакты скрыты" in card
    assert len(opened) >= 10, opened  # the test really visited the parent's pages


def test_parent_api_hides_the_co_guardians_contacts(world, as_role, father):
    data = as_role("parent").get(reverse("api:child-detail", args=[world.a.children["c1"].pk]))
    guardians = {g["full_name"]: g for g in data.json()["guardians"]}
    assert guardians["Иванов Отец Петрович"]["phone"] is None
    assert guardians["Иванов Отец Петрович"]["email"] is None
    assert guardians["Иванова Мама c1"]["phone"] == "+79000000000"  # their own record
    staff = as_role("educator").get(reverse("api:child-detail", args=[world.a.children["c1"].pk]))
    assert {g["phone"] for g in staff.json()["guardians"]} == {"+79990001122", "+79000000000"}


def test_parent_personal_data_export_leaves_out_the_co_guardians_data(world, as_role, father):
    import io

    from pypdf import PdfReader

    from detsad.privacy.models import Consent

    Consent.objects.create(
        organization=world.a.org,
        guardian=father,
        kind="processing",
        given_on="2026-01-10",
        scope="Завод и отцовская анкета",
    )
    c1 = world.a.children["c1"]
    client = as_role("parent")
    data = client.get(reverse("privacy:child_export_json", args=[c1.pk])).json()
    text = json.dumps(data, ensure_ascii=False)
    assert "Иванов" in text and "Отец" in text  # the other guardian is named ...
    pdf = client.get(reverse("privacy:child_export_pdf", args=[c1.pk])).content
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    for secret in FATHER_SECRETS:  # ... but none of their own data, nor their consent
        assert secret not in text and secret not in pdf_text, secret
    assert "+79000000000" in text  # the requesting parent's own record is complete
    staff = json.dumps(
        as_role("coordinator").get(reverse("privacy:child_export_json", args=[c1.pk])).json(),
        ensure_ascii=False,
    )
    assert "+79990001122" in staff and "987654" in staff
