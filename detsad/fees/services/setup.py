"""Writes of the founder's fee settings and of children's benefits.

Tariffs, charging rules, benefit kinds and compensation settings belong to the
municipality and are changed by the founder (`rights.require_founder`); a child's benefit
is recorded by the kindergarten (coordinator) on a supporting document.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from detsad.core import audit
from detsad.core.access import Actor, require
from detsad.core.models import AuditRecord, Municipality, Organization
from detsad.core.permissions import Area
from detsad.people.models import Child

from ..models import Benefit, ChildBenefit, CompensationSetting, FeeSettings, Tariff
from ..rights import require_fees_org, require_founder
from ..rules import rubles

SETTINGS_FIELDS = ["policy", "advance_base", "stacking", "due_day", "due_month", "basis"]


def _same_municipality(actor: Actor, municipality: Municipality) -> None:
    if not (actor.is_system or actor.is_superuser) and actor.municipality != municipality:
        raise ValidationError("Можно менять только настройки своего района.")


@transaction.atomic
def fee_settings_save(
    *,
    actor: Actor,
    municipality: Municipality,
    valid_from: dt.date,
    organization: Organization | None = None,
    **values,
) -> FeeSettings:
    """Create or change the charging rules of the municipality (or an organization's
    override) from the month of `valid_from`. Months already charged keep their amounts
    until the next fee run, which posts any difference as an adjustment (never silently).

    Raises ValidationError for an organization of another municipality.
    """
    require_founder(actor)
    _same_municipality(actor, municipality)
    if organization is not None and organization.municipality_id != municipality.pk:
        raise ValidationError({"organization": "Организация из другого района."})
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    valid_from = valid_from.replace(day=1)
    row = FeeSettings.objects.filter(
        municipality=municipality, organization=organization, valid_from=valid_from
    ).first()
    before = audit.snapshot(row, SETTINGS_FIELDS) if row else {}
    row = row or FeeSettings(
        municipality=municipality, organization=organization, valid_from=valid_from
    )
    for name, value in values.items():
        setattr(row, name, value)
    row.full_clean(validate_constraints=False)
    row.save()
    audit.record(
        actor,
        AuditRecord.Action.UPDATE if before else AuditRecord.Action.CREATE,
        row,
        organization=organization,
        changes=audit.diff(before, audit.snapshot(row, SETTINGS_FIELDS)),
    )
    return row


@transaction.atomic
def tariff_create(
    *,
    actor: Actor,
    municipality: Municipality,
    unit: str,
    amount: int,
    valid_from: dt.date,
    regime: str = "",
    age_band: str = "any",
    basis: str = "",
) -> Tariff:
    """Set a rate (kopecks) from `valid_from`. The current rate of the same unit, regime
    and age category, if it started earlier and is open-ended, is closed the day before,
    so a mid-year change applies from its start date and the history stays.

    Raises ValidationError when the new period overlaps a rate that is not open-ended or
    starts on or after `valid_from` (a rate is never rewritten).
    """
    require_founder(actor)
    _same_municipality(actor, municipality)
    if amount is None or amount < 0:
        raise ValidationError({"amount": "Размер платы не может быть отрицательным."})
    same = Tariff.objects.select_for_update().filter(
        municipality=municipality, unit=unit, regime=regime, age_band=age_band
    )
    later = same.filter(Q(valid_from__gte=valid_from) | Q(valid_to__gte=valid_from))
    open_before = same.filter(valid_from__lt=valid_from, valid_to__isnull=True).first()
    if later.exclude(pk=getattr(open_before, "pk", None)).exists():
        raise ValidationError(
            {"valid_from": "На эти даты уже действует другой тариф той же категории."}
        )
    if open_before is not None:
        old_end = open_before.valid_to
        Tariff.objects.filter(pk=open_before.pk).update(valid_to=valid_from - dt.timedelta(days=1))
        audit.record(
            actor,
            AuditRecord.Action.UPDATE,
            open_before,
            organization=None,
            changes={"valid_to": [old_end, valid_from - dt.timedelta(days=1)]},
            note="Тариф закрыт новым тарифом",
        )
    tariff = Tariff(
        municipality=municipality,
        unit=unit,
        regime=regime,
        age_band=age_band,
        amount=amount,
        valid_from=valid_from,
        basis=basis,
    )
    tariff.full_clean(validate_constraints=False)
    tariff.save()
    audit.record(
        actor,
        AuditRecord.Action.CREATE,
        tariff,
        organization=None,
        changes={
            "amount": f"{rubles(amount)}",
            "unit": tariff.get_unit_display(),
            "valid_from": valid_from,
            "scope": tariff.scope_label,
        },
    )
    return tariff


@transaction.atomic
def benefit_create(
    *,
    actor: Actor,
    municipality: Municipality,
    name: str,
    kind: str,
    percent: Decimal,
    basis: str = "",
) -> Benefit:
    """Add a benefit kind of the municipality. Exemptions by law are always 100 %."""
    require_founder(actor)
    _same_municipality(actor, municipality)
    name = (name or "").strip()
    if kind == Benefit.Kind.LAW_EXEMPTION and Decimal(percent) != 100:
        raise ValidationError({"percent": "Освобождение по закону — 100 % платы."})
    if Benefit.objects.filter(municipality=municipality, name=name).exists():
        raise ValidationError({"name": f"Льгота «{name}» уже есть."})
    benefit = Benefit(
        municipality=municipality, name=name, kind=kind, percent=Decimal(percent), basis=basis
    )
    benefit.full_clean(validate_constraints=False)
    benefit.save()
    audit.record(
        actor,
        AuditRecord.Action.CREATE,
        benefit,
        organization=None,
        changes={"name": name, "percent": str(benefit.percent), "kind": kind},
    )
    return benefit


@transaction.atomic
def child_benefit_add(
    *,
    actor: Actor,
    child: Child,
    benefit: Benefit,
    document: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    note: str = "",
) -> ChildBenefit:
    """Grant `benefit` to `child` on `document` for [valid_from, valid_to].

    Raises ValidationError without a document, for a benefit of another municipality, a
    period ending before it starts, or one overlapping the same benefit of the child.
    """
    require_fees_org(actor, write=True)
    require(actor, Area.FEES, write=True, obj=child)
    document = (document or "").strip()
    errors = {}
    if not document:
        errors["document"] = "Укажите подтверждающий документ."
    if benefit.municipality_id != child.organization.municipality_id:
        errors["benefit"] = "Льгота другого района."
    if not benefit.is_active:
        errors["benefit"] = "Эта льгота больше не применяется."
    if valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = "Дата окончания раньше даты начала."
    if errors:
        raise ValidationError(errors)
    overlap = ChildBenefit.objects.filter(child=child, benefit=benefit).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
    )
    if valid_to is not None:
        overlap = overlap.filter(valid_from__lte=valid_to)
    if overlap.exists():
        raise ValidationError({"valid_from": f"Льгота «{benefit.name}» уже действует в эти даты."})
    grant = ChildBenefit.objects.create(
        organization=child.organization,
        child=child,
        benefit=benefit,
        document=document,
        valid_from=valid_from,
        valid_to=valid_to,
        note=note,
        created_by=actor.user if getattr(actor.user, "pk", None) else None,
    )
    audit.record(
        actor,
        AuditRecord.Action.CREATE,
        grant,
        organization=child.organization,
        changes={
            "child": child.full_name,
            "benefit": str(benefit),
            "document": document,
            "valid_from": valid_from,
            "valid_to": valid_to,
        },
    )
    return grant


@transaction.atomic
def child_benefit_end(
    *, actor: Actor, grant: ChildBenefit, valid_to: dt.date, reason: str = ""
) -> ChildBenefit:
    """End a child's benefit on `valid_to` (the last day it applies). Months already
    charged are corrected by the next fee run. Raises ValidationError for an end before
    the start, or one reaching into a later grant of the same benefit to the child."""
    require_fees_org(actor, write=True)
    require(actor, Area.FEES, write=True, obj=grant)
    if valid_to < grant.valid_from:
        raise ValidationError({"valid_to": "Дата окончания раньше даты начала льготы."})
    later = ChildBenefit.objects.filter(
        child_id=grant.child_id, benefit_id=grant.benefit_id, valid_from__gt=grant.valid_from
    ).filter(valid_from__lte=valid_to)
    if later.exists():  # moving the end past the start of the next grant of the same benefit
        raise ValidationError(
            {"valid_to": f"Льгота «{grant.benefit.name}» уже действует в эти даты."}
        )
    old = grant.valid_to
    grant.valid_to = valid_to
    grant.note = (reason or grant.note)[:300]
    grant.save(update_fields=["valid_to", "note", "updated_at"])
    audit.record(
        actor,
        AuditRecord.Action.UPDATE,
        grant,
        organization=grant.organization,
        changes={"valid_to": [old, valid_to]},
        note=reason,
    )
    return grant


@transaction.atomic
def compensation_setting_save(
    *,
    actor: Actor,
    municipality: Municipality,
    valid_from: dt.date,
    average_fee: int,
    percent_first: Decimal = Decimal("20"),
    percent_second: Decimal = Decimal("50"),
    percent_third: Decimal = Decimal("70"),
    basis: str = "",
) -> CompensationSetting:
    """Set the region's average fee (kopecks a month) and the compensation percents from
    `valid_from`; an open-ended earlier setting is closed the day before."""
    require_founder(actor)
    _same_municipality(actor, municipality)
    if average_fee <= 0:
        raise ValidationError({"average_fee": "Средний размер платы должен быть больше нуля."})
    for name, value in (
        ("percent_first", percent_first),
        ("percent_second", percent_second),
        ("percent_third", percent_third),
    ):
        if not Decimal(0) <= Decimal(value) <= Decimal(100):
            raise ValidationError({name: "Процент — от 0 до 100."})
    if CompensationSetting.objects.filter(
        municipality=municipality, valid_from__gte=valid_from
    ).exists():
        raise ValidationError({"valid_from": "Уже есть параметры с этой или более поздней даты."})
    previous = CompensationSetting.objects.filter(
        municipality=municipality, valid_from__lt=valid_from, valid_to__isnull=True
    ).first()
    if previous is not None:
        CompensationSetting.objects.filter(pk=previous.pk).update(
            valid_to=valid_from - dt.timedelta(days=1)
        )
    setting = CompensationSetting.objects.create(
        municipality=municipality,
        valid_from=valid_from,
        average_fee=average_fee,
        percent_first=percent_first,
        percent_second=percent_second,
        percent_third=percent_third,
        basis=basis,
    )
    audit.record(
        actor,
        AuditRecord.Action.CREATE,
        setting,
        organization=None,
        changes={
            "average_fee": f"{rubles(average_fee)}",
            "percents": [str(percent_first), str(percent_second), str(percent_third)],
            "valid_from": valid_from,
        },
    )
    return setting
