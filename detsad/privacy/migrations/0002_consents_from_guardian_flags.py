"""Move the consent flags of guardians' files into consent records (re-runnable, batched)."""

from django.db import migrations

SCOPE = (
    "Обработка персональных данных родителя и ребёнка для исполнения договора об образовании "
    "(перенесено из личного дела)"
)


def forward(apps, schema_editor):
    Guardian = apps.get_model("people", "Guardian")
    Consent = apps.get_model("privacy", "Consent")
    have = set(
        Consent.objects.filter(kind="processing").values_list("guardian_id", flat=True)
    )
    batch = []
    rows = (
        Guardian.objects.filter(consent_pd=True)
        .exclude(pk__in=have)
        .values_list("pk", "organization_id", "consent_pd_date", "created_at")
        .iterator(chunk_size=2000)
    )
    for pk, org_id, day, created in rows:
        batch.append(
            Consent(
                organization_id=org_id,
                guardian_id=pk,
                kind="processing",
                scope=SCOPE,
                given_on=day or created.date(),
            )
        )
        if len(batch) >= 2000:
            Consent.objects.bulk_create(batch)
            batch = []
    Consent.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_consents"),
        ("people", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
