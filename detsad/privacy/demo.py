"""Demo consents: every demo guardian's consent to processing (from the file's flag, the
same rule as the data migration) and, for every third family, a publishing consent."""

from __future__ import annotations

from detsad.core.demo import DemoContext
from detsad.people.models import ChildGuardian

from .models import Consent

PROCESSING_SCOPE = (
    "ФИО, дата рождения, адрес, данные документов, контакты родителя и ребёнка — для "
    "исполнения договора об образовании, учёта посещаемости и родительской платы"
)
PUBLISHING_SCOPE = "Фотографии ребёнка с праздников на сайте детского сада"


def build(ctx: DemoContext) -> None:
    guardians = [g for g in ctx.data.get("guardians", []) if g.consent_pd]
    children_of = dict(
        ChildGuardian.objects.filter(
            guardian__organization__in=ctx.organizations  # this batch (core/demo.py)
        ).values_list("guardian_id", "child_id")
    )
    rows = []
    for i, g in enumerate(guardians):
        day = g.consent_pd_date or ctx.today
        rows.append(
            Consent(
                organization_id=g.organization_id,
                guardian=g,
                kind=Consent.Kind.PROCESSING,
                scope=PROCESSING_SCOPE,
                given_on=day,
                document="папка «Согласия», " + str(day.year),
            )
        )
        if i % 3 == 0 and g.pk in children_of:
            rows.append(
                Consent(
                    organization_id=g.organization_id,
                    guardian=g,
                    child_id=children_of[g.pk],
                    kind=Consent.Kind.PUBLISHING,
                    scope=PUBLISHING_SCOPE,
                    given_on=day,
                )
            )
    Consent.objects.bulk_create(rows, batch_size=2000)
    ctx.detail(f"Согласия на обработку персональных данных: {len(rows)}")
