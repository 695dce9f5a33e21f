"""Every read of fee data a page, report, receipt or task needs (through the access layer).

Split by topic: `ledger` (balances, history, the child's account), `reports` (turnover,
debtors, summary), `compensation`, `lists` (runs, payments, settings, months).
"""

from .compensation import compensation_rows, quarter_months, quarter_of
from .ledger import (
    AccountState,
    account_of,
    account_state,
    account_states,
    account_view,
    accounts_for_picker,
    child_benefits,
    history,
    scoped_accounts,
)
from .lists import (
    benefit_kinds,
    compensation_settings,
    current_settings,
    fee_settings,
    granted_benefits,
    imports,
    latest_done_run,
    months_status,
    payments,
    run_lines,
    runs,
    tariffs,
)
from .reports import debtors, summary, turnover

__all__ = [
    "AccountState",
    "account_of",
    "account_state",
    "account_states",
    "account_view",
    "accounts_for_picker",
    "benefit_kinds",
    "child_benefits",
    "compensation_rows",
    "compensation_settings",
    "current_settings",
    "debtors",
    "fee_settings",
    "granted_benefits",
    "history",
    "imports",
    "latest_done_run",
    "months_status",
    "payments",
    "quarter_months",
    "quarter_of",
    "run_lines",
    "runs",
    "scoped_accounts",
    "summary",
    "tariffs",
    "turnover",
]
