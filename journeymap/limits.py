"""Every "show at most N" in journeymap, named once.

A list that can grow with the data (deal ids, stage values, problems in a file) is cut to a
number a person can read, and what is left out is counted ("… and 12 more", "ほか 12 件"), never
dropped silently. The comparison itself keeps more than any view shows (`DEAL_IDS_KEPT`,
`GROUPS_KEPT`), so the JSON output and the downloads stay complete for the usual exports.

Input size bounds (bytes, nesting) belong to the readers that enforce them:
`designfile.reading.MAX_BYTES`, `MAX_NODES`, `MAX_DEPTH` and `actuals.tables.MAX_ACTUALS_BYTES`;
the app's upload sizes are here, because the browser refuses a larger file before it is sent.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------- uploads in the app

ACTUALS_UPLOAD_MB = 50
"""The largest CRM export the Compare page accepts (Streamlit's `server.maxUploadSize`, MB): about
1.2 million stage entries, a half-year history of some 150,000 deals. Read and compared on the
server while other planners use it (bench/upload_bench.py measures both); larger exports are
compared with `journeymap compare`, which reads up to `actuals.tables.MAX_ACTUALS_BYTES`."""

DESIGN_UPLOAD_MB = 20
"""The largest design file the import accepts, MB (`designfile.reading.MAX_BYTES`)."""

# ---------------------------------------------------------------------------- problems in an input file

ISSUES_LISTED = 10
"""Problems of one kind listed from one input file (bad values in a column, rows with the wrong
number of fields, rows without a deal id, duplicate rows); the rest is one "… and N more" line."""

VALUES_IN_MESSAGE = 10
"""Distinct values quoted in one error message ("found: '商談' (12), 'Lead' (3), …")."""

# ---------------------------------------------------------------------------- what a comparison keeps

DEAL_IDS_KEPT = 1000
"""Deal ids a comparison keeps per stage (stagnant deals): the JSON output's `stagnant_deals`."""

GROUPS_KEPT = 50
"""Groups of a breakdown (by owner, channel, segment) kept by name; the rest are summed as others."""

PERIODS_KEPT = 400
"""Calendar periods of a comparison's window compared one by one (the latest ones): 33 years of months."""

# ---------------------------------------------------------------------------- reports and the app

STAGNANT_DEALS_SHOWN = 20
"""Stagnant deal ids shown per stage in the terminal table, the HTML report and the app."""

REASONS_SHOWN = 10
"""Reasons shown in the reports: drop reasons per stage, reasons of the deals back after a pause or
a loss (the most frequent first)."""

OFF_DESIGN_MOVES_SHOWN = 12
"""Moves between stages that the design does not have, listed in the terminal report (the most
frequent first; the conformance line counts them all)."""

STAGE_VALUES_SHOWN = 20
"""Unmatched or ignored stage values of an export shown in the reports and the app."""

MATCHED_VALUES_SHOWN = 12
"""Stage values matched to a design's stage summarised on one line of the app's mapping step."""

UNMATCHED_CHOICES_SHOWN = 40
"""Unmatched stage values the app's mapping step offers a choice for (the most frequent first)."""

TERMINAL_CELL_WIDTH = 30
"""Display columns of a group's name in a terminal table (cut with "…")."""
