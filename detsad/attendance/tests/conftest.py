import datetime as dt
from unittest import mock

import pytest


@pytest.fixture
def frozen_now():
    """``frozen_now(dt.datetime(...))`` fixes the clock (UTC-aware) for pages and services."""
    patchers = []

    def _freeze(moment: dt.datetime):
        patcher = mock.patch("django.utils.timezone.now", return_value=moment)
        patcher.start()
        patchers.append(patcher)

    yield _freeze
    for p in patchers:
        p.stop()


@pytest.fixture
def april_10(frozen_now):
    """Friday 10 April 2026, 10:00 in Moscow."""
    frozen_now(dt.datetime(2026, 4, 10, 7, 0, tzinfo=dt.UTC))
    return dt.date(2026, 4, 10)
