"""Background tasks of the fee area (django.tasks; the database backend in production,
the immediate backend in tests)."""

from __future__ import annotations

from django.tasks import task


@task
def fee_run_task(run_ids: list[int]) -> dict:
    """Execute queued fee runs one organization after another (a municipality run queues
    one run per kindergarten). Returns {run id: status}."""
    from .models import FeeRun
    from .services.runs import fee_run_execute

    result = {}
    for run in FeeRun.objects.filter(pk__in=run_ids, status=FeeRun.Status.QUEUED).select_related(
        "organization__municipality", "created_by"
    ):
        result[str(run.pk)] = fee_run_execute(run).status
    return result
