"""Display width of text, for layouts that mix Japanese and Latin script.

East Asian wide and full-width characters take two columns; everything else one. Japanese has no
spaces to break lines on, so `wrap` breaks between any two characters while keeping Latin words
whole where it can, and never starts a line with closing punctuation (禁則処理, simplified).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

_NO_LINE_START = set("、。，．・：；？！ー）」』】〕〉》”’ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ)]},.:;!?%")


def char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Columns `text` takes in a monospace terminal (wide characters count 2)."""
    return sum(char_width(c) for c in text)


def wrap(text: str, width: int) -> list[str]:
    """Break `text` into lines of at most `width` columns (a single over-long word may exceed it).

    Linear in the length of `text`: each character is measured a bounded number of times."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(iter_lines(paragraph, width))
    return lines


def first_line(text: str, width: int) -> str:
    """The first line `wrap` would give for one paragraph, reading no further than it needs."""
    return next(iter_lines(text, width))


def _tokens(text: str) -> Iterator[str]:
    """Latin words (with their trailing space) stay whole; wide characters are tokens of their own."""
    start = 0
    for index, char in enumerate(text):
        if char_width(char) == 2:
            if index > start:
                yield text[start:index]
            yield char
            start = index + 1
        elif char == " ":
            yield text[start : index + 1]
            start = index + 1
    if start < len(text):
        yield text[start:]


def iter_lines(text: str, width: int) -> Iterator[str]:
    """The lines of one paragraph, one at a time (callers that need only the first stop early)."""
    width = max(width, 2)
    line, used = "", 0  # `used` is display_width(line), kept as the line grows
    emitted = False
    for token in _tokens(text):
        token_width = display_width(token)
        stripped_width = token_width - (len(token) - len(token.rstrip()))
        if line and used + stripped_width > width:
            if token[0] in _NO_LINE_START and used <= width + 2:
                line, used = line + token, used + token_width  # keep closing punctuation on the line it closes
                continue
            yield line.rstrip()
            emitted = True
            line = token.lstrip() if token.strip() else ""
            used = display_width(line)
            while used > width and not line.isascii():
                cut = _cut(line, width)
                yield line[:cut]
                line = line[cut:]
                used = display_width(line)
        else:
            line, used = line + token, used + token_width
    if line.strip() or not emitted:
        yield line.rstrip()


def _cut(text: str, width: int) -> int:
    used = 0
    for index, char in enumerate(text):
        used += char_width(char)
        if used > width:
            return max(index, 1)
    return len(text)
