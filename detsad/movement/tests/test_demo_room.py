"""The demo district leaves room in «МБДОУ д/с № 24» for the sample children.xlsx: its
import goes through without an over-capacity confirmation (shared/samples/README.md),
and the demo's own figures stay what the docs and tests quote (237 children)."""

from __future__ import annotations

import pytest
from django.db import transaction

from detsad.core import demo
from detsad.core.access import Actor
from detsad.core.demo import DemoContext, run
from detsad.core.models import Organization
from detsad.movement.children_import import ImportOptions, children_import
from detsad.people.models import Child

from .helpers import D
from .import_support import sample


@pytest.mark.django_db
def test_the_sample_list_fits_into_the_demo_groups(world):
    with transaction.atomic():
        run(DemoContext(verbose=False))
        assert (
            Child.objects.filter(organization__municipality__name=demo.DEMO_MUNICIPALITY).count()
            == 237
        )
        org = Organization.objects.get(
            municipality__name=demo.DEMO_MUNICIPALITY, short_name="МБДОУ д/с № 24"
        )
        actor = Actor.system(organization=org)
        options = ImportOptions(
            order_number="150-и",
            order_date=D(2026, 9, 1),
            correction_reason="список загружен после закрытия сентября",
        )
        report = children_import(
            actor=actor,
            organization=org,
            content=sample("children.xlsx"),
            filename="children.xlsx",
            options=options,
        )
        assert report.committed, report.lines()
        assert report.warnings == []  # no over-capacity confirmation needed
        assert report.counts["children"] == 40
        assert report.per_group == [
            ("Звёздочки", 8),
            ("Капелька", 8),
            ("Почемучки", 8),
            ("Радуга", 8),
            ("Солнышко", 8),
        ]
        transaction.set_rollback(True)
