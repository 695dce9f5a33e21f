"""Every change a person (or a task) makes to fee data: see the modules by topic."""

from .ledger import (
    fees_month_close,
    fees_month_reopen,
    ledger_entry_post,
    ledger_entry_reverse,
    month_is_closed,
)
from .payments import payment_assign, payment_create_manual, payment_import_file
from .runs import fee_run_execute, fee_run_reverse, fee_run_start, fee_run_start_municipality
from .setup import (
    benefit_create,
    child_benefit_add,
    child_benefit_end,
    compensation_setting_save,
    fee_settings_save,
    tariff_create,
)

__all__ = [
    "benefit_create",
    "child_benefit_add",
    "child_benefit_end",
    "compensation_setting_save",
    "fee_run_execute",
    "fee_run_reverse",
    "fee_run_start",
    "fee_run_start_municipality",
    "fee_settings_save",
    "fees_month_close",
    "fees_month_reopen",
    "ledger_entry_post",
    "ledger_entry_reverse",
    "month_is_closed",
    "payment_assign",
    "payment_create_manual",
    "payment_import_file",
    "tariff_create",
]
