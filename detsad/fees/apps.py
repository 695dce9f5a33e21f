from django.apps import AppConfig


class FeesConfig(AppConfig):
    name = "detsad.fees"
    verbose_name = "Родительская плата"

    def ready(self):
        from django.db.models import Q

        from detsad.core import access
        from detsad.core.permissions import Area
        from detsad.movement.models import Placement
        from detsad.people.models import ChildGuardian
        from detsad.privacy.window import limit_own_children

        from .models import (
            Benefit,
            ChildBenefit,
            CompensationSetting,
            FeeRun,
            FeeRunLine,
            FeeSettings,
            LedgerEntry,
            Payment,
            PaymentImport,
            Tariff,
        )

        def own_children(path):
            return lambda a: Q(
                **{
                    f"{path}__in": ChildGuardian.objects.filter(guardian__user_id=a.user.pk).values(
                        "child_id"
                    )
                }
            )

        def own_groups(path):
            """Children placed in the educator's groups this academic year."""

            def q(actor):
                year_start = actor.today.replace(month=9, day=1)
                if actor.today.month < 9:
                    year_start = year_start.replace(year=year_start.year - 1)
                placements = Placement.objects.filter(group_id__in=actor.group_ids).filter(
                    Q(end__isnull=True) | Q(end__gte=year_start)
                )
                return Q(**{f"{path}__in": placements.values("child_id")})

            return q

        for model, path in (
            (LedgerEntry, "account__child_id"),
            (ChildBenefit, "child_id"),
            (FeeRunLine, "child_id"),
            (Payment, "account__child_id"),
        ):
            access.register(
                model,
                area=Area.FEES,
                org="organization",
                own_children=own_children(path),
                own_groups=own_groups(path),
            )
            # A withdrawn child's guardians: only within the access window (privacy.window).
            limit_own_children(model, path)
        for model in (FeeRun, PaymentImport):
            access.register(model, area=Area.FEES, org="organization")
        for model in (Tariff, Benefit, CompensationSetting, FeeSettings):
            access.register(
                model,
                area=Area.FEES,
                org="municipality",
                municipality_level=True,
                own_groups=lambda a: Q(),
                own_children=lambda a: Q(),
            )
