"""Writes to the movement book (DESIGN.md §3): events, orders, contracts, templates.

Split by topic; everything is re-exported here, so callers write
``from detsad.movement import services`` and ``services.children_enroll(...)``.
"""

from .contracts import contract_create, study_term_for
from .events import (
    CapacityWarning,
    ClosedMonthError,
    child_enroll,
    child_transfer,
    child_withdraw,
    children_enroll,
    children_transfer,
    children_withdraw,
    closed_months_in,
    closed_year,
    may_confirm_over_capacity,
    movement_event_cancel,
    placements_rebuild,
)
from .orders import DEFAULT_TITLES, initial_data_order, order_create, order_sign
from .templates import document_template_delete, document_template_upload

__all__ = [
    "DEFAULT_TITLES",
    "CapacityWarning",
    "ClosedMonthError",
    "child_enroll",
    "child_transfer",
    "child_withdraw",
    "children_enroll",
    "children_transfer",
    "children_withdraw",
    "closed_months_in",
    "closed_year",
    "contract_create",
    "document_template_delete",
    "document_template_upload",
    "initial_data_order",
    "may_confirm_over_capacity",
    "movement_event_cancel",
    "order_create",
    "order_sign",
    "placements_rebuild",
    "study_term_for",
]
