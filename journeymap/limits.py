"""Every "show at most N" in journeymap, named once.

A list that can grow with the data (deal ids, stage values, problems in a file) is cut to a
number a person can read, and what is left out is counted ("… and 12 more", "ほか 12 件"), never
dropped silently. The comparison itself keeps more than any view shows (`DEAL_IDS_KEPT`,
`GROUPS_KEPT`), so the JSON output and the downloads stay complete for the usual exports.

Input size bounds (bytes, nesting) belong to the readers that enforce them:
`designfile.reading.MAX_BYTES`, `MAX_NODES`, `MAX_DEPTH` and `actuals.tables.MAX_ACTUALS_BYTES`.
"""

from __future__ import annotations

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

# ---------------------------------------------------------------------------- reports and the app

STAGNANT_DEALS_SHOWN = 20
"""Stagnant deal ids shown per stage in the terminal table, the HTML report and the app."""

DROP_REASONS_SHOWN = 10
"""Drop reasons shown per stage (the most frequent first) in the reports."""

STAGE_VALUES_SHOWN = 20
"""Unmatched or ignored stage values of an export shown in the reports and the app."""

MATCHED_VALUES_SHOWN = 12
"""Stage values matched to a design's stage summarised on one line of the app's mapping step."""

UNMATCHED_CHOICES_SHOWN = 40
"""Unmatched stage values the app's mapping step offers a choice for (the most frequent first)."""

TERMINAL_CELL_WIDTH = 30
"""Display columns of a group's name in a terminal table (cut with "…")."""
