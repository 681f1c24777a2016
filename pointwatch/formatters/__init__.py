"""Output: tables and sentences for people, stable JSON for scripts — one module per area.

JSON keys are a contract (DESIGN §4): more may be added, none renamed. Dates are ISO-8601,
amounts integers. Heavy modules (rich) are imported inside the functions that draw tables.
"""

from __future__ import annotations

from pointwatch.formatters.accounts import (
    account_json,
    accounts_table,
    cycle_text,
    entries_table,
    entry_json,
    statement_json,
    statement_sentence,
)
from pointwatch.formatters.alerts import (
    alert_json,
    alerts_table,
    failure_json,
    remind_report_json,
)
from pointwatch.formatters.base import (
    WRAP_MIN,
    cell_width,
    console,
    dump_json,
    iso,
    minutes,
    plain_table,
    screen,
    stacked,
    styles_for,
    table,
    wrapped,
)
from pointwatch.formatters.campaigns import (
    campaign_json,
    campaign_lines,
    campaign_list_json,
    campaign_list_lines,
    catalog_json,
    catalog_lines,
)
from pointwatch.formatters.expectations import (
    NEEDING_ATTENTION,
    NEXT_STEP,
    NOTHING_NOW,
    NOTHING_OPEN,
    STATUS_COLUMNS,
    STATUS_STYLE,
    expectation_json,
    expectation_line,
    join_json,
    next_step_lines,
    status_rows,
    status_table,
    usability_of,
)
from pointwatch.formatters.imports import (
    import_report_json,
)
from pointwatch.formatters.journal import (
    journal_json,
    journal_lines,
    undone_sentence,
)
from pointwatch.formatters.support import (
    claim_json,
    history_json,
    history_lines,
    inquiries_table,
    inquiry_json,
    settlement_sentence,
)

__all__ = [
    "screen",
    "console",
    "dump_json",
    "iso",
    "minutes",
    "plain_table",
    "cell_width",
    "WRAP_MIN",
    "table",
    "stacked",
    "wrapped",
    "styles_for",
    "statement_json",
    "statement_sentence",
    "account_json",
    "cycle_text",
    "accounts_table",
    "entry_json",
    "entries_table",
    "alert_json",
    "failure_json",
    "alerts_table",
    "remind_report_json",
    "campaign_list_json",
    "campaign_list_lines",
    "catalog_json",
    "catalog_lines",
    "campaign_lines",
    "campaign_json",
    "STATUS_STYLE",
    "expectation_json",
    "usability_of",
    "expectation_line",
    "STATUS_COLUMNS",
    "status_rows",
    "status_table",
    "join_json",
    "NEXT_STEP",
    "NOTHING_NOW",
    "NOTHING_OPEN",
    "NEEDING_ATTENTION",
    "next_step_lines",
    "import_report_json",
    "journal_json",
    "journal_lines",
    "undone_sentence",
    "inquiry_json",
    "inquiries_table",
    "settlement_sentence",
    "history_json",
    "history_lines",
    "claim_json",
]
