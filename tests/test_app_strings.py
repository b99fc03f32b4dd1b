"""Every UI text the pages use is in the catalogue (which has every text in Japanese and English:
tests/test_catalogue.py)."""

from __future__ import annotations

import re
from pathlib import Path

from journeymap.text.catalogue import CATALOGUE
from journeymap.ui import PAGES

UI = Path(__file__).parent.parent / "journeymap" / "ui"
STATIC_KEY = re.compile(r"""\bt\(\s*["']([a-z_.\-]+)["']""")

# Keys the pages build from values (f"unit.{u}"): every value they can take.
DYNAMIC = {
    "unit": ["count", "rate", "currency", "days", "score"],
    "direction": ["up", "down"],
    "owner_kind": ["internal", "agency", "partner"],
    "category": ["customer", "competitor", "internal", "external"],
    "segment": ["b2b", "b2c", "smb", "enterprise", "other"],
    "period": ["week", "month", "quarter", "year"],
    "view": ["process", "journey", "funnel"],
    "theme": ["default", "projector", "projector-dark", "print"],
    "detail": ["compact", "detailed"],
    "layout": ["side", "below"],
    "diagram_alt": ["process", "journey", "funnel"],
    "design.tab": ["stages", "phases", "owners", "kgis", "links", "meta", "history"],
    "compare.shape": ["events", "wide", "counts", "unknown"],
    "status": ["on_track", "at_risk", "off_track"],
    "role": ["deal_id", "stage", "timestamp", "amount", "status", "lost_reason", "owner", "channel", "segment",
             "next_action_date", "count", "period", "cost"],
    "compare": ["lost", "ignore"],
    "notice": ["saved", "draft_restored", "duplicated", "deleted", "restored", "version_restored", "plan_applied", "reloaded", "copied"],
}


def used_keys() -> set[str]:
    keys = set()
    for path in UI.rglob("*.py"):  # the pages (views/) and their parts (panels/) too
        keys |= set(STATIC_KEY.findall(path.read_text("utf-8")))
    keys |= {title for _file, title, _icon in PAGES}
    keys |= {f"{prefix}.{value}" for prefix, values in DYNAMIC.items() for value in values}
    return keys


def test_every_used_key_is_in_the_catalogue():
    missing = sorted(k for k in used_keys() if k not in CATALOGUE)
    assert missing == []


def test_user_text_is_escaped_for_markdown():
    from journeymap.ui.strings import md

    assert md("$100 と $200 の *重要* 案件 :red[x] <b>") == r"\$100 と \$200 の \*重要\* 案件 \:red\[x\] \<b\>"
