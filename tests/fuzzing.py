"""A seeded mutator of real design files, for the fuzz test of the readers and its longer bench run.

Each example starts from a template of `process_library/` in one of the formats a design is read
from (YAML, JSON, xlsx) and applies a few random mutations: at the byte level (cut, repeat, insert
hostile fragments, flip bytes, truncate), at the data level (a value replaced by another type, a
huge number, an impossible date, a lone surrogate, a key removed or added) and, for workbooks, at
the cell level (cells cleared or given formulas, errors, huge numbers and dates) and the zip level.
`read(example)` runs the reader the app and the CLI use and returns the Design or the InputError.
"""

from __future__ import annotations

import io
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from journeymap.designfile.reading import parse_design_bytes
from journeymap.errors import InputError
from journeymap.export import export
from journeymap.library import list_templates
from journeymap.model import Design

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
LIBRARY = Path(__file__).resolve().parent.parent / "process_library"

FRAGMENTS = [
    b":", b": ", b"- ", b"  ", b"\t", b"\n", b"{", b"}", b"[", b"]", b'"', b"'", b"&a ", b"*a", b"<<: *a",
    b"!!python/object:os.system ", b"!!binary ", b"? ", b"|", b">", b"#", b"%YAML 1.1\n", b"---\n", b"...\n",
    b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\x82\xa0", b"\xed\xa0\x80", b"\xe3\x81", "営業".encode(),
    b"9" * 5000, b"-1e309", b"1e-400", b".nan", b".inf", b"0x1F", b"0o17", b"2024-02-30", b"2024-13-45",
    b"9999-12-31", b"null", b"~", b"true", b"\\ud800", b'"\\ud800"', b"\\u0000", b"NaN", b"Infinity",
]

VALUES: list[Any] = [
    None, True, 0, -1, 10**40, 1e308, -1e308, float("nan"), float("inf"), "", " ", "x" * 6000, "2024-02-30",
    "9999-12-31", "\ud800", "=1+1", "<script>", [], {}, [1, 2], {"a": 1}, "営業", 0.5, 1.5, -0.5, "0.3",
]


@dataclass(frozen=True)
class Example:
    name: str
    fmt: str
    content: bytes


def templates() -> list[Design]:
    return [t.design for t in list_templates(LIBRARY)]


def examples(seed: int, count: int, formats: tuple[str, ...] = ("yaml", "json", "xlsx")) -> Iterator[Example]:
    """`count` mutated design files, the same ones for the same seed."""
    rng = random.Random(seed)
    designs = templates()
    originals = {}
    for design in designs:
        for fmt in formats:
            originals[(design.id, fmt)] = export(design, fmt)
    keys = sorted(originals)
    for n in range(count):
        design_id, fmt = keys[rng.randrange(len(keys))]
        content = originals[(design_id, fmt)]
        kind = rng.choice(("bytes", "data", "both")) if fmt != "xlsx" else rng.choice(("cells", "cells", "zip"))
        if kind in ("data", "both"):
            content = mutate_data(content, fmt, rng)
        if kind in ("bytes", "both"):
            content = mutate_bytes(content, rng)
        if kind == "cells":
            content = mutate_cells(content, rng)
        if kind == "zip":
            content = mutate_bytes(content, rng, fragments=False)
        yield Example(f"fuzz{n}-{design_id}.{fmt}", fmt, content)


def mutate_bytes(content: bytes, rng: random.Random, fragments: bool = True) -> bytes:
    data = bytearray(content)
    for _ in range(rng.randint(1, 4)):
        if not data:
            break
        at = rng.randrange(len(data))
        choice = rng.random()
        if choice < 0.25:
            del data[at : at + rng.randint(1, 64)]
        elif choice < 0.45:
            end = min(len(data), at + rng.randint(1, 200))
            data[at:at] = data[at:end] * rng.randint(1, 5)
        elif choice < 0.75 and fragments:
            data[at:at] = rng.choice(FRAGMENTS)
        elif choice < 0.9:
            data[at] = rng.randrange(256)
        else:
            del data[rng.randrange(len(data)) :]
    return bytes(data)


def mutate_data(content: bytes, fmt: str, rng: random.Random) -> bytes:
    data = yaml.load(content, Loader=_LOADER) if fmt == "yaml" else json.loads(content)
    for _ in range(rng.randint(1, 3)):
        _mutate_tree(data, rng)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=rng.random() < 0.5, allow_nan=True).encode("utf-8", "surrogatepass")
    try:
        text = yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False)
    except (UnicodeEncodeError, yaml.YAMLError):  # libyaml will not write a lone surrogate: PyYAML escapes it
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return text.encode("utf-8", "surrogatepass")


def _mutate_tree(data: Any, rng: random.Random) -> None:
    """Replace, remove or add one value somewhere in the tree."""
    node, path = data, []
    while isinstance(node, (dict, list)) and node and rng.random() < 0.8:
        key = rng.choice(list(node)) if isinstance(node, dict) else rng.randrange(len(node))
        path.append((node, key))
        node = node[key]
    if not path:
        return
    parent, key = path[-1]
    choice = rng.random()
    if choice < 0.6:
        parent[key] = rng.choice(VALUES)
    elif choice < 0.8:
        del parent[key]
    elif isinstance(parent, dict):
        parent[rng.choice(["extra", "id", "name", "target", "x-y", "phases"])] = rng.choice(VALUES)
    else:
        parent.append(rng.choice(VALUES))


def mutate_cells(content: bytes, rng: random.Random) -> bytes:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    # Mostly one cell: a file one edit away from valid reaches deeper into the reader than a wreck
    # (and some such files are still valid designs, so both answers are exercised).
    for _ in range(rng.choice((1, 1, 1, 2, 3, 6))):
        cell = rng.choice(cells)
        value = rng.choice([None, "", "=1/0", "=A1", "#N/A", 10**20, -5, 1.5, "2024-02-30", "x" * 6000, "営業",
                            "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"), True])
        try:
            cell.value = value
        except (ValueError, TypeError, AttributeError):
            continue  # a merged cell, or a value openpyxl will not write
    if rng.random() < 0.2 and len(book.worksheets) > 1:
        book.remove(rng.choice(book.worksheets))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read(example: Example) -> Design | InputError:
    """The reader's answer: a Design, or the InputError it raised (anything else propagates)."""
    try:
        return parse_design_bytes(example.content, example.name, example.fmt)
    except InputError as exc:
        return exc
