"""Parental fee accounting (issue 5): settings and reference data, the ledger, payments.

Split by topic (DESIGN.md §2): `setup` (charging policy, tariffs, benefits, compensation
settings), `ledger` (fee runs and the append-only ledger), `payments` (bank files and the
payments they carry).
"""

from .ledger import FeeRun, FeeRunLine, LedgerEntry, LedgerQuerySet
from .payments import Payment, PaymentImport
from .setup import (
    AgeBand,
    BaseRule,
    Benefit,
    ChildBenefit,
    CompensationSetting,
    DueMonth,
    FeeSettings,
    Policy,
    Stacking,
    Tariff,
)

__all__ = [
    "AgeBand",
    "BaseRule",
    "Benefit",
    "ChildBenefit",
    "CompensationSetting",
    "DueMonth",
    "FeeRun",
    "FeeRunLine",
    "FeeSettings",
    "LedgerEntry",
    "LedgerQuerySet",
    "Payment",
    "PaymentImport",
    "Policy",
    "Stacking",
    "Tariff",
]
