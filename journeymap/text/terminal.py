"""Text made safe for a terminal: no control characters from files reach the screen.

A CSV cell can hold `ESC ] 0 ; title BEL` (sets the window title), `ESC [ 2 J` (clears the screen)
or a carriage return that overwrites what was printed; bidirectional overrides reorder what a
line appears to say. `printable` removes them all and keeps line breaks and tabs; `json_text`
escapes the few that JSON leaves raw, so JSON stays lossless and still safe to print.
"""

from __future__ import annotations

import re

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_JSON_RAW = re.compile("[\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` without control characters (C0 but line feed and tab, DEL, C1) or bidi overrides."""
    return _CONTROLS.sub("", text)


def json_text(text: str) -> str:
    """JSON text (from `json.dumps(..., ensure_ascii=False)`) with DEL, C1 controls and bidi
    overrides written as `\\uXXXX` escapes: the same JSON value, safe on a terminal (C0 controls
    are escaped by `json.dumps` already)."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
