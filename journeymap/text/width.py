"""Display width of text, for layouts that mix Japanese and Latin script.

East Asian wide and full-width characters take two columns; everything else one. Japanese has no
spaces to break lines on, so `wrap` breaks between any two characters while keeping Latin words
whole where it can, and never starts a line with closing punctuation (禁則処理, simplified).
"""

from __future__ import annotations

import unicodedata

_NO_LINE_START = set("、。，．・：；？！ー）」』】〕〉》”’ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ)]},.:;!?%")


def char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Columns `text` takes in a monospace terminal (wide characters count 2)."""
    return sum(char_width(c) for c in text)


def wrap(text: str, width: int) -> list[str]:
    """Break `text` into lines of at most `width` columns (a single over-long word may exceed it)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(_wrap_paragraph(paragraph, max(width, 2)))
    return lines


def _tokens(text: str) -> list[str]:
    """Latin words (with their trailing space) stay whole; wide characters are tokens of their own."""
    tokens: list[str] = []
    word = ""
    for char in text:
        if char_width(char) == 2:
            if word:
                tokens.append(word)
                word = ""
            tokens.append(char)
        elif char == " ":
            tokens.append(word + " ")
            word = ""
        else:
            word += char
    if word:
        tokens.append(word)
    return tokens


def _wrap_paragraph(text: str, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for token in _tokens(text):
        if line and display_width(line + token.rstrip()) > width:
            if token[0] in _NO_LINE_START and display_width(line) <= width + 2:
                line += token  # keep closing punctuation on the line it closes
                continue
            lines.append(line.rstrip())
            line = token.lstrip() if token.strip() else ""
            while display_width(line) > width and line.isascii() is False:
                cut = _cut(line, width)
                lines.append(line[:cut])
                line = line[cut:]
        else:
            line += token
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def _cut(text: str, width: int) -> int:
    used = 0
    for index, char in enumerate(text):
        used += char_width(char)
        if used > width:
            return max(index, 1)
    return len(text)
