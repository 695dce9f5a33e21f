"""Consents to the processing of personal data (152-FZ), per guardian.

FACTS.md §8: a consent is specific (a purpose and a list of data), informed and
unambiguous (art. 9 p. 1); data «разрешённые для распространения» (e.g. photos on the
kindergarten's site) need a *separate* consent (art. 10.1). A parent consents for
themselves and, as the legal representative, for the child: `child` names the child when
the consent is given for the child's data.

`Guardian.consent_pd` / `consent_pd_date` (people) are a summary of the active
«processing» consents, written only by `privacy.services` (see there).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from detsad.core.models import Organization, TimeStampedModel
from detsad.people.models import Child, Guardian


class Consent(TimeStampedModel):
    """One written consent of a guardian: kind, scope, date given, date withdrawn."""

    class Kind(models.TextChoices):
        PROCESSING = "processing", "на обработку персональных данных (ст. 9 152-ФЗ)"
        PUBLISHING = "publishing", "на распространение (публикацию), ст. 10.1 152-ФЗ"
        OTHER = "other", "иное"

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="организация"
    )
    guardian = models.ForeignKey(
        Guardian, on_delete=models.PROTECT, related_name="consents", verbose_name="кто дал"
    )
    child = models.ForeignKey(
        Child,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name="за ребёнка",
        help_text="Если согласие дано как законным представителем ребёнка.",
    )
    kind = models.CharField("вид", max_length=20, choices=Kind)
    scope = models.TextField(
        "цель и перечень данных",
        help_text="Например: «фотографии ребёнка на сайте и в группе ВКонтакте детского сада».",
    )
    given_on = models.DateField("дата согласия")
    valid_until = models.DateField("действует до", null=True, blank=True)
    withdrawn_on = models.DateField("дата отзыва", null=True, blank=True)
    document = models.CharField(
        "документ", max_length=200, blank=True, help_text="Где хранится бумажный экземпляр."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="внёс",
    )

    class Meta:
        verbose_name = "согласие на обработку персональных данных"
        verbose_name_plural = "согласия на обработку персональных данных"
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("given_on")),
                name="consent_withdrawn_after_given",
            ),
        ]
        indexes = [models.Index(fields=["guardian", "kind"], name="consent_guardian_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} от {self.given_on:%d.%m.%Y}"

    def is_active_on(self, day) -> bool:
        """Given on or before `day`, not withdrawn by then, not expired."""
        return (
            self.given_on <= day
            and (self.withdrawn_on is None or self.withdrawn_on > day)
            and (self.valid_until is None or self.valid_until >= day)
        )
