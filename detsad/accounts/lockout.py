"""Login throttling with separate limits per account and per client address (django-axes).

django-axes counts failures for each lockout parameter set (here the login, and the client
address) and compares the largest count with one limit, AXES_FAILURE_LIMIT. A kindergarten
usually reaches the internet through one address, so one limit for both would let five
mistyped passwords of three educators lock the whole staff out. Here an address is locked
only after LOGIN_ADDRESS_FAILURE_LIMIT failures (default 30) on any logins — still a stop
for password guessing from one machine — while an account keeps the small limit (5).
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_parameters, get_client_username, get_failure_limit
from django.conf import settings
from django.db.models import Sum


def address_failure_limit() -> int:
    """Failures from one client address (on any logins) that lock the address."""
    return int(getattr(settings, "LOGIN_ADDRESS_FAILURE_LIMIT", settings.AXES_FAILURE_LIMIT))


class AddressAwareHandler(AxesDatabaseHandler):
    """AxesDatabaseHandler whose address-only failures count against the address limit.

    The address count is scaled to the account limit before axes compares it, so the
    address locks when its own failures reach `address_failure_limit()`.
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        limit = get_failure_limit(request, credentials)
        per_address = address_failure_limit()
        params = get_client_parameters(
            get_client_username(request, credentials),
            request.axes_ip_address,
            request.axes_user_agent,
            request,
            credentials,
        )
        counts = []
        for kwargs, attempts in zip(
            params, self.get_user_attempts(request, credentials), strict=True
        ):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            if set(kwargs) == {"ip_address"} and per_address > limit:
                failures = failures * limit // per_address
            counts.append(failures)
        return max(counts, default=0)
