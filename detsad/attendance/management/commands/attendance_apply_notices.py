"""``manage.py attendance_apply_notices [--organization ID]`` — run daily (cron, or the task
worker): turns parents' absence notices into absent marks for the days that have come
(today in each municipality's time zone), skipping marked days and closed months."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from detsad.attendance.services import notices_apply
from detsad.core.access import Actor
from detsad.core.models import Organization


class Command(BaseCommand):
    help = "Проставляет отсутствие по уведомлениям родителей на наступившие рабочие дни."

    def add_arguments(self, parser):
        parser.add_argument("--organization", type=int, help="id детского сада (по умолчанию все)")

    def handle(self, *args, organization=None, **options):
        orgs = Organization.objects.filter(archived_at__isnull=True).select_related("municipality")
        if organization:
            orgs = orgs.filter(pk=organization)
        total = 0
        for org in orgs:
            actor = Actor.system(organization=org)
            total += notices_apply(actor=actor, organization=org, upto=actor.today)
        self.stdout.write(self.style.SUCCESS(f"Отметок по уведомлениям: {total}."))
