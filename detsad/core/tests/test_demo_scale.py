"""The district and region builders (core/demo.py `run`): streaming in batches, per-
organization random streams, the region's municipalities and logins."""

from __future__ import annotations

import pytest
from django.db import transaction

from detsad.accounts.models import Membership, User
from detsad.core import demo
from detsad.core.demo import DemoContext, organization_specs, run
from detsad.core.models import Group, Municipality, Organization
from detsad.core.permissions import Role
from detsad.people.models import Child, Staff


def _content(org_keys: list[tuple[str, str]]) -> dict:
    """What a kindergarten holds, by natural keys only (no ids)."""
    out = {}
    for municipality, short in org_keys:
        org = Organization.objects.get(municipality__name=municipality, short_name=short)
        out[(municipality, short)] = {
            "org": (org.inn, org.ogrn, org.address, org.head_name, org.full_name),
            "groups": list(
                Group.objects.filter(organization=org)
                .order_by("name")
                .values_list("name", "age_category", "capacity", "regime")
            ),
            "children": sorted(
                Child.objects.filter(organization=org).values_list(
                    "last_name",
                    "first_name",
                    "patronymic",
                    "birth_date",
                    "birth_certificate_series",
                    "birth_certificate_number",
                    "placements__group__name",
                    "accounts__number",
                )
            ),
            "staff": sorted(
                Staff.objects.filter(organization=org).values_list(
                    "last_name", "first_name", "position", "snils"
                )
            ),
        }
    return out


def _build(**kwargs) -> tuple[DemoContext, dict]:
    """Build inside a savepoint that is rolled back; return the context and the content
    of the demo municipality's kindergartens."""
    ctx = DemoContext(verbose=False, **kwargs)
    with transaction.atomic():
        run(ctx)
        keys = list(
            Organization.objects.filter(municipality__name=demo.DEMO_MUNICIPALITY)
            .order_by("pk")
            .values_list("municipality__name", "short_name")
        )
        content = _content(keys)
        transaction.set_rollback(True)
    return ctx, content


@pytest.mark.django_db
def test_region_streams_the_same_kindergartens_as_the_district(world, monkeypatch):
    """The district's kindergartens come out identical whatever the batch size: every
    organization draws from its own random streams (seed, municipality/number, purpose)."""
    monkeypatch.setattr(demo, "REGION_DISTRICT_SIZE", 3)
    _, district = _build(scale="district", organization_count=3)
    # batches: [№ 24, № 1], [№ 2, Краснодар № 1], [Сочи № 1]
    ctx, region = _build(scale="region", organization_count=5, batch_size=2)
    assert ctx.batch_count == 3
    assert list(district) == [
        (demo.DEMO_MUNICIPALITY, "МБДОУ д/с № 24"),
        (demo.DEMO_MUNICIPALITY, "МБДОУ д/с № 1"),
        (demo.DEMO_MUNICIPALITY, "МАДОУ д/с № 2"),
    ]
    assert region == district
    # 5 groups of «д/с № 24» as in the samples, 9–11 in the other kindergarten
    assert len(district[(demo.DEMO_MUNICIPALITY, "МБДОУ д/с № 24")]["groups"]) == 5
    assert 9 <= len(district[(demo.DEMO_MUNICIPALITY, "МБДОУ д/с № 1")]["groups"]) <= 11


@pytest.mark.django_db
def test_region_spreads_kindergartens_over_municipalities_with_their_own_logins(world, monkeypatch):
    monkeypatch.setattr(demo, "REGION_DISTRICT_SIZE", 2)
    ctx = DemoContext(scale="region", organization_count=5, batch_size=2, verbose=False)
    specs = organization_specs(ctx)
    assert [(s.municipality, s.number) for s in specs] == [
        (demo.DEMO_MUNICIPALITY, 24),
        (demo.DEMO_MUNICIPALITY, 1),
        ("город Краснодар", 1),
        ("город-курорт Сочи", 1),
        ("город Новороссийск", 1),
    ]
    run(ctx)
    assert ctx.totals["organizations"] == 5
    assert Municipality.objects.filter(name__in=[s.municipality for s in specs]).count() == 4
    sochi = Organization.objects.get(municipality__name="город-курорт Сочи")
    assert sochi.short_name == "МБДОУ д/с № 1"
    assert "город-курорт Сочи" in sochi.address
    # every educator has a login bound to a group of their kindergarten, in its municipality
    educators = Membership.objects.filter(organization=sochi, role=Role.EDUCATOR)
    groups = Group.objects.filter(organization=sochi).count()
    assert educators.count() == 2 * groups
    assert set(educators.values_list("municipality__name", flat=True)) == {"город-курорт Сочи"}
    assert all(m.groups.get().organization_id == sochi.pk for m in educators)
    # the named demo logins exist once, in «д/с № 24» of the demo municipality
    assert Membership.objects.get(user__username="coordinator").organization == ctx.main_org
    assert User.objects.filter(username__in=["uo", "head", "admin", "parent"]).count() == 4
    # batch state does not outlive the build
    assert ctx.data == {}
