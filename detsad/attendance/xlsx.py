"""Serializing the journal's workbooks (timesheet 0504608, reports) safely.

openpyxl stores a string starting with «=» as a formula, and a spreadsheet may evaluate a
text starting with «+», «-», «@» (or a tab / carriage return) as one when the cell is
edited. A child, group or organization named ``=HYPERLINK(…)`` must stay literal text
(OWASP «CSV/formula injection»), so such cells are forced to the string type and get
Excel's quote prefix before the workbook is written.
"""

from __future__ import annotations

from openpyxl import Workbook

from detsad.core.documents import workbook_bytes

#: A text cell starting with one of these is a formula (or DDE payload) to a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(wb: Workbook) -> Workbook:
    """Make every text cell of `wb` that a spreadsheet could run as a formula plain text.

    The value is kept as it was (read back it is the same string); only the cell type
    becomes string and the style gets ``quotePrefix``. Numbers and dates are untouched.
    Returns `wb` (changed in place).
    """
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                    cell.data_type = "s"
                    cell.quotePrefix = True
    return wb


def safe_workbook_bytes(wb: Workbook) -> bytes:
    """`wb` as XLSX bytes with formula-like texts written as text (see module docstring)."""
    return workbook_bytes(neutralise_formulas(wb))
