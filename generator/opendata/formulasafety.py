"""Text that a spreadsheet program must show as text, never run as a formula.

Station names, indicator names and units come from content that many editors change by pull
request. A cell that starts with ``=`` (or ``+ - @``, which Excel and WPS also read as the start of
a formula in a CSV file) can run ``=HYPERLINK(...)`` or worse on the clerk's or journalist's
machine that opens the open-data file. OWASP's advice for CSV is a leading apostrophe, which the
spreadsheet hides and a program reading the CSV can strip; in .xlsx the cell is stored as a string.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: Any) -> Any:
    """``value`` unchanged unless it is text a spreadsheet would take for a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def store_as_text(cell: Any) -> Any:
    """An openpyxl cell whose string value is kept as a string: openpyxl turns every string that
    starts with ``=`` into a formula when the value is set."""
    if isinstance(cell.value, str) and cell.data_type == "f":
        cell.data_type = "s"
    return cell
