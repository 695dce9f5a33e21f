"""Writes of personal-data protection: consents, anonymization, closing ended access.

Consents: `consent_record` / `consent_withdraw` are the one way consents change, and they
keep the guardian file's summary (`Guardian.consent_pd`, `consent_pd_date`: «has an
active consent to processing, and since when») in step in the same transaction.

Anonymization (152-FZ art. 5 p. 7, art. 21 p. 4): once the retention period after a
withdrawn child's last day has passed and the file is archived, `anonymize_child`
replaces names, documents and contacts, keeps what statistics need (birth year, sex,
movement dates and groups, attendance and ledger rows), and redacts the audit trail's
copies of the removed values.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from detsad.core import audit
from detsad.core.access import Actor, require
from detsad.core.models import AuditRecord
from detsad.core.permissions import Area, Role

from .models import Consent

CONSENT_FIELDS = ["kind", "scope", "given_on", "valid_until", "document", "child"]


def _sync_guardian(guardian, today: dt.date) -> None:
    """Write the guardian file's summary of processing consents (no audit: derived)."""
    active = [
        c
        for c in Consent.objects.filter(guardian=guardian, kind=Consent.Kind.PROCESSING)
        if c.is_active_on(today)
    ]
    has = bool(active)
    since = min((c.given_on for c in active), default=None)
    if (guardian.consent_pd, guardian.consent_pd_date) != (has, since):
        guardian.consent_pd, guardian.consent_pd_date = has, since
        guardian.save(update_fields=["consent_pd", "consent_pd_date", "updated_at"])


@transaction.atomic
def consent_record(*, actor: Actor, guardian, **data) -> Consent:
    """Record a written consent of `guardian` (kind, scope, given_on, …).

    Raises ValidationError (Russian, per field): a date in the future, an end before the
    start, a child that is not this guardian's.
    """
    require(actor, Area.CHILDREN, write=True, obj=guardian)
    unknown = set(data) - set(CONSENT_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    consent = Consent(
        organization=guardian.organization, guardian=guardian, recorded_by=_user(actor), **data
    )
    errors = {}
    if consent.given_on and consent.given_on > actor.today:
        errors["given_on"] = "Дата согласия в будущем."
    if consent.valid_until and consent.given_on and consent.valid_until < consent.given_on:
        errors["valid_until"] = "Срок действия кончается раньше даты согласия."
    if not (consent.scope or "").strip():
        errors["scope"] = "Укажите цель и перечень данных: согласие не может быть «общим»."
    if consent.child_id and not guardian.child_links.filter(child_id=consent.child_id).exists():
        errors["child"] = "Это не ребёнок этого родителя."
    if errors:
        raise ValidationError(errors)
    consent.full_clean()
    consent.save()
    _sync_guardian(guardian, actor.today)
    audit.record(
        actor,
        AuditRecord.Action.CREATE,
        consent,
        changes=audit.snapshot(consent, CONSENT_FIELDS),
        note=f"согласие родителя {guardian.full_name}",
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: Actor, consent: Consent, on: dt.date | None = None) -> Consent:
    """Record the withdrawal of a consent on `on` (default today)."""
    require(actor, Area.CHILDREN, write=True, obj=consent)
    on = on or actor.today
    if consent.withdrawn_on is not None:
        raise ValidationError("Согласие уже отозвано.")
    if on < consent.given_on:
        raise ValidationError({"withdrawn_on": "Дата отзыва раньше даты согласия."})
    if on > actor.today:
        raise ValidationError({"withdrawn_on": "Дата отзыва в будущем."})
    consent.withdrawn_on = on
    consent.save(update_fields=["withdrawn_on", "updated_at"])
    _sync_guardian(consent.guardian, actor.today)
    audit.record(
        actor,
        AuditRecord.Action.UPDATE,
        consent,
        changes={"withdrawn_on": [None, on]},
        note=f"отзыв согласия родителя {consent.guardian.full_name}",
    )
    return consent


def _user(actor: Actor):
    user = getattr(actor, "user", None)
    return user if getattr(user, "pk", None) else None


# --- anonymization ------------------------------------------------------------------------

PLACEHOLDER = "Обезличено"


def children_due_for_anonymization(organization=None, today: dt.date | None = None):
    """Archived, withdrawn children whose last day is older than the retention period."""
    from detsad.movement.models import Placement
    from detsad.people.models import Child

    today = today or timezone.localdate()
    cutoff = today - dt.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    still = Placement.objects.filter(Q(end__isnull=True) | Q(end__gt=cutoff)).values("child_id")
    qs = (
        Child.objects.filter(archived_at__isnull=False, anonymized_at__isnull=True)
        .exclude(pk__in=still)
        .annotate(last_day=Max("placements__end"))
        .filter(last_day__isnull=False)
    )
    if organization is not None:
        qs = qs.filter(organization=organization)
    return qs


def _redact_audit(kind: str, object_id, keep: set[str]) -> int:
    """Replace removed personal values in the audit trail of one object (fact stays)."""
    rows = AuditRecord.objects.filter(kind=kind, object_id=str(object_id))
    count = 0
    for record in rows.only("pk", "changes"):
        changes = {
            k: (v if k in keep else "[обезличено]") for k, v in (record.changes or {}).items()
        }
        AuditRecord.objects.filter(pk=record.pk).update(
            changes=changes, object_repr=f"{PLACEHOLDER} №{object_id}"
        )
        count += 1
    return count


CHILD_KEEP = {"birth_date", "sex", "health_group", "is_disabled", "has_special_needs"}
CHILD_CLEAR = [
    "patronymic",
    "birth_certificate_series",
    "birth_certificate_number",
    "snils",
    "address",
    "allergies",
    "notes",
]
GUARDIAN_CLEAR = [
    "patronymic",
    "phone",
    "phone_extra",
    "email",
    "workplace",
    "position",
    "address",
    "passport_series",
    "passport_number",
    "passport_issued_by",
]


@transaction.atomic
def anonymize_child(*, actor: Actor, child) -> list:
    """Anonymize one child's file and the guardians who have no other current child.

    Kept: birth year (the date becomes 1 July of that year), sex, health group, the
    movement book, attendance and ledger rows, personal account number, consents (dates
    and kinds). Replaced: names, documents, contacts, address, notes; guardian accounts
    are blocked and unlinked. Returns the anonymized guardians.
    """
    from detsad.people.models import Guardian

    require(actor, Area.CHILDREN, write=True, obj=child)
    if child.anonymized_at is not None:
        return []
    now = timezone.now()
    child.last_name, child.first_name = PLACEHOLDER, f"№{child.pk}"
    for name in CHILD_CLEAR:
        setattr(child, name, "")
    child.citizenship = ""
    child.birth_date = dt.date(child.birth_date.year, 7, 1)
    child.anonymized_at = now
    child.save()
    _redact_audit("people.child", child.pk, CHILD_KEEP - {"birth_date"})
    guardians = []
    for guardian in Guardian.objects.filter(child_links__child=child, anonymized_at__isnull=True):
        others = guardian.child_links.exclude(child=child).filter(child__anonymized_at__isnull=True)
        if others.exists():
            continue
        _anonymize_guardian(actor, guardian, now)
        guardians.append(guardian)
    audit.record(
        actor,
        AuditRecord.Action.ACTION,
        child,
        note=f"обезличено по истечении срока хранения; родителей: {len(guardians)}",
    )
    return guardians


def _anonymize_guardian(actor: Actor, guardian, now) -> None:
    from detsad.accounts.models import Membership

    guardian.last_name, guardian.first_name = PLACEHOLDER, f"№{guardian.pk}"
    for name in GUARDIAN_CLEAR:
        setattr(guardian, name, "")
    guardian.passport_issued_on = None
    user = guardian.user
    guardian.user = None
    guardian.archived_at = guardian.archived_at or now
    guardian.anonymized_at = now
    guardian.save()
    _redact_audit("people.guardian", guardian.pk, {"consent_pd", "consent_pd_date"})
    guardian.consents.update(document="")
    if user is not None:
        Membership.objects.filter(
            user=user, organization=guardian.organization, role=Role.PARENT
        ).update(is_active=False, ended_at=now)
        if not Membership.objects.filter(user=user, is_active=True).exists():
            user.blocked_at = user.blocked_at or now
            user.session_version += 1
            user.first_name, user.last_name, user.patronymic = "", PLACEHOLDER, ""
            user.email, user.phone = "", ""
            user.save()


# --- closing ended access -----------------------------------------------------------------


@transaction.atomic
def close_expired_access(*, actor: Actor, today: dt.date | None = None) -> dict[str, int]:
    """End the memberships whose access window has passed (see privacy.window).

    Parent memberships of people all of whose children in that organization were
    withdrawn more than GUARDIAN_ACCESS_DAYS_AFTER_WITHDRAWAL days ago; staff memberships
    of people whose staff file there is dismissed or archived. Returns counts.
    """
    from detsad.accounts.models import Membership
    from detsad.core.permissions import STAFF_ROLES
    from detsad.people.models import ChildGuardian, Staff

    from .window import expired_children

    today = today or timezone.localdate()
    now = timezone.now()
    expired = expired_children(today)
    closed = {"parents": 0, "staff": 0}
    parents = Membership.objects.filter(
        role=Role.PARENT, is_active=True, organization__isnull=False
    )
    if actor.organization is not None:
        parents = parents.filter(organization=actor.organization)
    for m in parents.select_related("user", "organization"):
        links = ChildGuardian.objects.filter(
            guardian__user_id=m.user_id, child__organization_id=m.organization_id
        )
        if links.exists() and not links.exclude(child_id__in=expired).exists():
            _end(actor, m, now, "доступ родителя закрыт: срок после отчисления истёк")
            closed["parents"] += 1
    ended = Staff.objects.filter(user__isnull=False).filter(
        Q(dismissal_date__lte=today) | Q(archived_at__isnull=False)
    )
    if actor.organization is not None:
        ended = ended.filter(organization=actor.organization)
    for staff in ended:
        for m in Membership.objects.filter(
            user_id=staff.user_id,
            organization_id=staff.organization_id,
            role__in=STAFF_ROLES,
            is_active=True,
        ).select_related("user", "organization"):
            _end(actor, m, now, "доступ сотрудника закрыт: уволен")
            closed["staff"] += 1
    return closed


def _end(actor: Actor, membership, now, note: str) -> None:
    membership.is_active = False
    membership.ended_at = now
    membership.save(update_fields=["is_active", "ended_at"])
    audit.record(
        actor,
        AuditRecord.Action.DELETE,
        membership,
        changes={"role": [membership.get_role_display(), None]},
        note=note,
    )
