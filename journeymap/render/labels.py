"""The words diagrams show (from the catalogue, `diagram.*`; numbers from journeymap.text.format),
line wrapping by display width, and a text-width estimate for sizing boxes.

Sizing matters because the browser (Streamlit's `st.graphviz_chart`, graphviz compiled to
WebAssembly) has no font metrics: it guesses a Japanese character at about three quarters of its
real width, so boxes would be too small. Every box therefore gets a minimum width from
`text_width`, which is generous for Japanese; the desktop `dot` (real metrics via pango) only
grows boxes beyond it.
"""

from __future__ import annotations

import math
import unicodedata
from functools import lru_cache

from journeymap.model import KPI, Design, Localized, text_of
from journeymap.text import format as fmt
from journeymap.text.catalogue import text
from journeymap.text.width import char_width, display_width, first_line, wrap


def word(key: str, lang: str) -> str:
    """A fixed word of the diagrams (`diagram.*` in the catalogue)."""
    return text(f"diagram.{key}", lang)


def emotion_word(level: int, lang: str) -> str:
    """The word for an emotion score from -2 to 2."""
    return text(f"diagram.emotion_level.{level}", lang)


def t(value: str | Localized | None, lang: str) -> str:
    """User text in `lang`, falling back to the other language."""
    return text_of(value, lang)


# --------------------------------------------------------------------------- figures


def kpi_line(kpi: KPI, design: Design, lang: str) -> str:
    """`架電数 1,000件`, `アポ単価 ≤ ¥10,000` (≤ when lower is better)."""
    name = t(kpi.name, lang)
    figure = fmt.measure(kpi.target, kpi.unit, design.currency, lang)
    if not figure:
        return name
    return f"{name} {'≤ ' if kpi.direction == 'down' else ''}{figure}"


def per_period(design: Design, lang: str) -> str:
    return f"/{text(f'period.{design.period}', lang)}"


# --------------------------------------------------------------------------- text layout


_BREAK_AFTER = set("・、。，）」』】〕)/／ ")
_BREAK_BEFORE = set("（「『【〔(")


def lines(text: str, width: int) -> list[str]:
    """`text` wrapped at `width` display columns, read the way Japanese is set.

    `textwidth.wrap` breaks Japanese anywhere; here a line prefers to end at a natural break
    (after ・、） or before （) in its second half, and a last line of one or two characters is
    avoided by narrowing the lines: `クロスセル・` / `アップセル提案`, not `…アップセル提` / `案`.
    """
    return list(_lines(str(text), width))


@lru_cache(maxsize=8192)
def _lines(text: str, width: int) -> tuple[str, ...]:
    # Cached: Present mode redraws the same design once per step.
    out: list[str] = []
    for paragraph in text.splitlines() or [""]:
        out.extend(_paragraph(paragraph, width))
    return tuple(out) or ("",)


def mark(lang: str) -> str:
    """The list mark of a language: `・` in Japanese, `• ` in English."""
    return "・" if lang == "ja" else "• "


# Blank space as wide as each list mark in Noto Sans CJK JP, for hanging indents.
_INDENT = {"・": "\u3000", "• ": "\u2007", "✓ ": "\u3000", "↘ ": "\u3000\u2009", "\u3000": "\u3000"}


def bulleted(text: str, width: int, mark: str = "・") -> list[str]:
    """`text` after a list mark, continuation lines indented under the text (hanging indent)."""
    body = lines(text, width - 2)
    indent = _INDENT.get(mark, "\u3000")
    return [mark + body[0]] + [indent + line for line in body[1:]]


def _paragraph(text: str, width: int) -> list[str]:
    best = _prefer_breaks(text, width)
    if len(best) > 1 and display_width(best[-1]) <= 4:
        for narrower in range(width - 1, max(width // 2, 4), -1):
            candidate = _prefer_breaks(text, narrower)
            if len(candidate) != len(best):
                break
            if display_width(candidate[-1]) > 4:
                return candidate
    return best


def _prefer_breaks(text: str, width: int) -> list[str]:
    greedy = wrap(text, width)
    if not any(_inside_word(a, b[:1]) for a, b in zip(greedy, greedy[1:])):
        return greedy
    out: list[str] = []
    rest = text.strip()
    remaining = display_width(rest)  # of `rest`, kept as it shrinks (measuring it anew each time is quadratic)
    while len(out) < 4 * len(greedy) and remaining > width:
        line = first_line(rest, width)  # reads one line's worth of `rest`, not all of it
        cut = len(line)
        if _inside_word(line, rest[cut:cut + 1]):
            for i in range(len(line) - 1, int(len(line) * 0.45), -1):
                if line[i] in _BREAK_AFTER:
                    cut = i + 1
                    break
                if line[i] in _BREAK_BEFORE:
                    cut = i
                    break
        out.append(rest[:cut].rstrip())
        after = rest[cut:].lstrip()
        remaining -= display_width(rest[: len(rest) - len(after)])
        rest = after
    out.append(rest)
    return out if len(out) <= len(greedy) else greedy


def _inside_word(line: str, following: str) -> bool:
    """True when a line ends between two Japanese characters that are not a natural break, or
    after an opening bracket."""
    if not line or not following:
        return False
    last = line[-1]
    if last in _BREAK_BEFORE:
        return True  # an opening bracket never ends a line
    return (char_width(last) == 2 and char_width(following) == 2
            and last not in _BREAK_AFTER and following not in _BREAK_BEFORE)


_EM = {"•": 0.4, "✓": 0.74, "¥": 0.6, "\u2007": 0.56, "\u2009": 0.2, "\u2002": 0.5, "\u00a0": 0.23}


def char_em(char: str) -> float:
    """Advance of `char` in ems in Noto Sans CJK JP bold, rounded up (measured; bold is the wider)."""
    if char in _EM:
        return _EM[char]
    if char.isascii():
        if char == " ":
            return 0.23
        if char.isupper() or char in "%&@#mw":
            return 0.72
        if char.isdigit():
            return 0.6
        if char.isalpha():
            return 0.58
        return 0.45
    if unicodedata.east_asian_width(char) in ("W", "F", "A"):
        return 1.0  # kana, kanji, and symbols such as ● ★ → which this font draws full-width
    return 0.62


def text_width(text: str, size: float) -> float:
    """Estimated width in points of one line of `text` at `size` pt."""
    return sum(char_em(c) for c in text) * size


def block_width(rows: list[tuple[list[str], float]]) -> int:
    """The widest of several wrapped texts, each `(lines, size)`, in whole points."""
    widest = 0.0
    for text_lines, size in rows:
        for line in text_lines:
            widest = max(widest, text_width(line, size))
    return math.ceil(widest)
