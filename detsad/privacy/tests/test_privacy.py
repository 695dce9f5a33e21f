"""Personal data: consents kept in step with the guardian file, the subject access export,
anonymization after the retention period, and the access windows."""

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from detsad.accounts.models import Membership
from detsad.core.access import local_today
from detsad.core.models import AuditRecord
from detsad.movement.models import MovementEvent
from detsad.movement.services import child_withdraw
from detsad.people.models import Child, Guardian, Staff
from detsad.people.services import child_update
from detsad.privacy import services
from detsad.privacy.models import Consent


def _withdraw(world, key, days_ago):
    actor = world.a.actor("coordinator")
    child = world.a.children[key]
    on = actor.today - dt.timedelta(days=days_ago)
    child_withdraw(actor=actor, child=child, on=on, order=None, reason="moved")
    return child


# --- consents -----------------------------------------------------------------------------


def test_recording_and_withdrawing_a_consent_keeps_the_file_summary(world):
    actor = world.a.actor("coordinator")
    guardian = world.a.guardians["c1"]
    assert guardian.consent_pd is False
    consent = services.consent_record(
        actor=actor,
        guardian=guardian,
        kind=Consent.Kind.PROCESSING,
        scope="ФИО, контакты — для договора",
        given_on=dt.date(2025, 8, 25),
    )
    guardian.refresh_from_db()
    assert (guardian.consent_pd, guardian.consent_pd_date) == (True, dt.date(2025, 8, 25))
    services.consent_record(
        actor=actor,
        guardian=guardian,
        kind=Consent.Kind.PUBLISHING,
        child=world.a.children["c1"],
        scope="фото на сайте",
        given_on=dt.date(2025, 9, 1),
    )
    services.consent_withdraw(actor=actor, consent=consent, on=dt.date(2026, 1, 15))
    guardian.refresh_from_db()
    assert (guardian.consent_pd, guardian.consent_pd_date) == (False, None)
    record = AuditRecord.objects.get(
        kind="privacy.consent", object_id=str(consent.pk), action="update"
    )
    assert record.changes == {"withdrawn_on": [None, "15.01.2026"]}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"given_on": dt.date(2099, 1, 1), "scope": "фото"}, "given_on"),
        ({"given_on": dt.date(2025, 9, 1), "scope": "  "}, "scope"),
        (
            {"given_on": dt.date(2025, 9, 1), "scope": "x", "valid_until": dt.date(2025, 1, 1)},
            "valid_until",
        ),
    ],
)
def test_consent_rules(world, data, field):
    with pytest.raises(ValidationError) as exc:
        services.consent_record(
            actor=world.a.actor("coordinator"),
            guardian=world.a.guardians["c1"],
            kind="processing",
            **data,
        )
    assert field in exc.value.message_dict
    assert not Consent.objects.exists()


def test_consent_of_another_familys_child_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.consent_record(
            actor=world.a.actor("coordinator"),
            guardian=world.a.guardians["c1"],
            kind="publishing",
            child=world.a.children["c2"],
            scope="фото",
            given_on=dt.date(2025, 9, 1),
        )
    assert "child" in exc.value.message_dict


def test_consent_pages(world, as_role):
    client = as_role("coordinator")
    guardian = world.a.guardians["c1"]
    response = client.post(
        reverse("privacy:consent_add", args=[guardian.pk]),
        {
            "kind": "publishing",
            "child": world.a.children["c1"].pk,
            "scope": "фото на сайте",
            "given_on": "01.09.2025",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("people:guardian_detail", args=[guardian.pk])).content.decode()
    assert "фото на сайте" in page and "на распространение" in page
    consent = Consent.objects.get()
    client.post(reverse("privacy:consent_withdraw", args=[consent.pk]))
    consent.refresh_from_db()
    assert consent.withdrawn_on == local_today()
    # the educator reads the file but writes no consents
    assert (
        as_role("educator").get(reverse("privacy:consent_add", args=[guardian.pk])).status_code
        == 404
    )


# --- subject access export ----------------------------------------------------------------


def test_parent_downloads_the_personal_data_of_their_child(world, as_role):
    child = world.a.children["c1"]
    client = as_role("parent")
    response = client.get(reverse("privacy:child_export_json", args=[child.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    titles = [s["title"] for s in data["sections"]]
    assert titles[:4] == [
        "Личное дело ребёнка",
        "Родители (законные представители)",
        "Согласия на обработку персональных данных",
        "Книга движения",
    ]
    file = data["sections"][0]["records"][0]
    assert file["фамилия"] == "Иванов" and file["дата рождения"] == "05.03.2022"
    events = data["sections"][3]["records"]
    assert events == []  # parents have no right to the movement book itself
    assert AuditRecord.objects.filter(
        action="access", kind="people.child", object_id=str(child.pk)
    ).exists()
    # another family's child: nothing
    assert (
        client.get(
            reverse("privacy:child_export_json", args=[world.a.children["c2"].pk])
        ).status_code
        == 404
    )


def test_coordinator_gets_the_pdf_with_the_movement_book(world, as_role):
    child = world.a.children["c1"]
    response = as_role("coordinator").get(reverse("privacy:child_export_pdf", args=[child.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split()
    )
    assert "Иванов Иван Иванович" in text and "Книга движения" in text
    assert "зачисление" in text and "01.09.2025" in text


def test_educator_cannot_export_personal_data(world, as_role):
    response = as_role("educator").get(
        reverse("privacy:child_export_json", args=[world.a.children["c1"].pk])
    )
    assert response.status_code == 403


# --- access windows -----------------------------------------------------------------------


def test_parent_keeps_access_during_the_window_then_sees_nothing(world, as_role, settings):
    settings.GUARDIAN_ACCESS_DAYS_AFTER_WITHDRAWAL = 90
    child = _withdraw(world, "c1", days_ago=30)
    client = as_role("parent")
    url = reverse("people:child_detail", args=[child.pk])
    assert client.get(url).status_code == 200
    settings.GUARDIAN_ACCESS_DAYS_AFTER_WITHDRAWAL = 20
    assert client.get(url).status_code == 404
    assert client.get(reverse("api:child-list")).json()["results"] == []
    home = client.get("/").content.decode()
    assert "Иванов Иван" not in home


def test_window_per_child_for_a_parent_of_two(world, settings):
    """The parent of c1 (withdrawn long ago) and c3 (current) sees c3 only."""
    from detsad.people.models import ChildGuardian
    from detsad.privacy.window import restrict_actor

    settings.GUARDIAN_ACCESS_DAYS_AFTER_WITHDRAWAL = 10
    ChildGuardian.objects.create(
        child=world.a.children["c3"], guardian=world.a.guardians["c1"], relation="mother"
    )
    _withdraw(world, "c1", days_ago=40)
    actor = restrict_actor(world.a.actor("parent"))
    assert "parent" in actor.roles
    from detsad.core.access import scoped

    assert list(scoped(actor, Child.objects.all()).values_list("last_name", flat=True)) == [
        "Сидоров"
    ]


def test_dismissed_staff_lose_access_at_once(world, as_role):
    client = as_role("educator")
    child = world.a.children["c1"]
    assert client.get(reverse("people:child_detail", args=[child.pk])).status_code == 200
    Staff.objects.filter(user=world.a.users["educator"]).update(dismissal_date=local_today())
    assert client.get(reverse("people:child_detail", args=[child.pk])).status_code == 404
    assert client.get(reverse("core:group_list")).status_code == 403


def test_close_expired_access_ends_the_memberships(world, settings):
    settings.GUARDIAN_ACCESS_DAYS_AFTER_WITHDRAWAL = 10
    _withdraw(world, "c1", days_ago=40)
    Staff.objects.filter(user=world.a.users["educator"]).update(dismissal_date=dt.date(2026, 1, 31))
    call_command("close_expired_access")
    assert not Membership.objects.get(user=world.a.users["parent"]).is_active
    assert not Membership.objects.get(user=world.a.users["educator"]).is_active
    assert Membership.objects.get(user=world.b.users["parent"]).is_active
    assert AuditRecord.objects.filter(kind="accounts.membership", action="delete").count() == 2


# --- anonymization ------------------------------------------------------------------------


def test_anonymize_after_retention_keeps_statistics(world, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    actor = world.a.actor("coordinator")
    child = world.a.children["c2"]
    child_update(
        actor=actor, child=child, snils="112-233-445 95", address="ст. Кавказская, ул. Мира, 1"
    )
    _withdraw(world, "c2", days_ago=45)
    Child.objects.filter(pk=child.pk).update(archived_at=timezone.now())
    _withdraw(world, "c1", days_ago=10)  # within retention: untouched
    Child.objects.filter(pk=world.a.children["c1"].pk).update(archived_at=timezone.now())

    call_command("anonymize_personal_data")

    child.refresh_from_db()
    assert (child.last_name, child.first_name, child.patronymic) == (
        "Обезличено",
        f"№{child.pk}",
        "",
    )
    assert child.snils == "" and child.address == "" and child.birth_certificate_number == ""
    assert child.birth_date == dt.date(2022, 7, 1)  # the year stays
    assert child.sex == "F" and child.anonymized_at is not None
    assert MovementEvent.objects.filter(child=child).count() == 2  # movement dates intact
    guardian = Guardian.objects.get(pk=world.a.guardians["c2"].pk)
    assert guardian.last_name == "Обезличено" and guardian.phone == ""
    assert Child.objects.get(pk=world.a.children["c1"].pk).last_name == "Иванов"
    for record in AuditRecord.objects.filter(kind="people.child", object_id=str(child.pk)):
        assert "112-233-445 95" not in json.dumps(record.changes, ensure_ascii=False)
        assert "Петрова" not in record.object_repr
    call_command("anonymize_personal_data")  # idempotent
    assert Child.objects.filter(anonymized_at__isnull=False).count() == 1


def test_window_covers_every_parent_facing_row_and_page(world, as_role, settings):
    """The parent of c1 (withdrawn past the window) and c3 (current): c1's marks, notices,
    ledger entries and benefits are gone from every list, page, action and the API."""
    from detsad.attendance.models import AbsenceNotice, AbsenceReason, AttendanceMark
    from detsad.core.access import scoped
    from detsad.fees.models import Benefit, ChildBenefit, LedgerEntry
    from detsad.people.models import ChildGuardian
    from detsad.privacy.window import restrict_actor

    settings.GUARDIAN_ACCESS_DAYS_AFTER_WITHDRAWAL = 10
    c1, c3 = world.a.children["c1"], world.a.children["c3"]
    ChildGuardian.objects.create(child=c3, guardian=world.a.guardians["c1"], relation="mother")
    org, today = world.a.org, local_today()
    reason = AbsenceReason.objects.get(municipality=world.municipality, code="Б")
    for child, group in ((c1, "sun"), (c3, "rainbow")):
        AttendanceMark.objects.create(
            organization=org,
            child=child,
            group=world.a.groups[group],
            on=today - dt.timedelta(days=60),
            present=False,
            reason=reason,
        )
        AbsenceNotice.objects.create(
            organization=org,
            child=child,
            start=today + dt.timedelta(days=1),
            end=today + dt.timedelta(days=3),
            reason=reason,
            comment=f"notice-{child.last_name}",
        )
        LedgerEntry.objects.create(
            organization=org,
            account=world.a.accounts["c1" if child == c1 else "c3"],
            kind="charge",
            period=(today - dt.timedelta(days=70)).replace(day=1),
            on=today - dt.timedelta(days=70),
            amount=100000,
            source="manual",
        )
        benefit = Benefit.objects.filter(municipality=world.municipality).first()
        if benefit is not None:
            ChildBenefit.objects.create(
                organization=org, child=child, benefit=benefit, valid_from=today.replace(day=1)
            )
    _withdraw(world, "c1", days_ago=40)

    actor = restrict_actor(world.a.actor("parent"))
    assert "parent" in actor.roles  # c3 keeps the role
    for model, path in (
        (AttendanceMark, "child_id"),
        (AbsenceNotice, "child_id"),
        (LedgerEntry, "account__child_id"),
        (ChildBenefit, "child_id"),
    ):
        seen = set(scoped(actor, model.objects.all()).values_list(path, flat=True))
        assert c1.pk not in seen, model._meta.label
        if model is not ChildBenefit or ChildBenefit.objects.exists():
            assert seen == {c3.pk}, model._meta.label

    client = as_role("parent")
    notices = client.get(reverse("attendance:notices")).content.decode()
    assert "notice-Сидоров" in notices and "notice-Иванов" not in notices
    c1_notice = AbsenceNotice.objects.get(child=c1)
    cancel = reverse("attendance:notice_cancel", args=[c1_notice.pk])
    assert client.post(cancel).status_code == 404
    c1_notice.refresh_from_db()
    assert c1_notice.cancelled_at is None
    for name in ("attendance:child_calendar", "fees:account_detail", "fees:receipt"):
        assert client.get(reverse(name, args=[c1.pk])).status_code == 404, name
    assert client.get(reverse("api:fee-account-detail", args=[c1.pk])).status_code == 404
    assert [
        r["child_id"] for r in client.get(reverse("api:fee-account-list")).json()["results"]
    ] == [c3.pk]
    cabinet = client.get(reverse("fees:my")).content.decode()
    assert "Сидоров" in cabinet and "Иванов Иван" not in cabinet


def test_every_child_linked_parent_scope_is_window_limited():
    """A model whose parent ("own children") rows hang on a child must go through
    privacy.window.limit_own_children, or a withdrawn child's rows would outlive the window."""
    from detsad.core import access

    exempt = {"people.Guardian", "privacy.Consent"}  # the guardian's own record and consents
    missing = [
        model._meta.label
        for model in access.registered_models()
        if (policy := access.policy_for(model)).own_children is not None
        and not policy.municipality_level
        and model._meta.label not in exempt
        and "limit_own_children" not in policy.own_children.__qualname__
    ]
    assert missing == []
