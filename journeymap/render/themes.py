"""Themes: colours, type sizes and strokes for each place a diagram is shown.

- `default`: the screen at a desk; light, compact.
- `projector`: a room looking at a wall: no text under 20 pt, thick strokes, high contrast.
- `projector-dark`: the same sizes on a dark background, for dim rooms and dark slides.
- `print`: paper; light fills that survive grey-scale printing, thin strokes.

Themes are data. Owner colours are assigned in the order owners appear in the design, so a
design keeps its colours from view to view.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

FONT = "Noto Sans CJK JP"
SVG_FONT_FAMILY = ", ".join((
    f"'{FONT}'", "'Hiragino Sans'", "'Hiragino Kaku Gothic ProN'", "'Yu Gothic'", "YuGothic", "Meiryo",
    "'Noto Sans JP'", "sans-serif",
))
"""The font-family of exported SVG text: Noto first (what the layout was measured with), then the
Japanese system fonts of macOS and Windows, then any sans-serif."""
"""The one font of every diagram (Debian/Ubuntu `fonts-noto-cjk`): real Japanese glyphs everywhere."""


@dataclass(frozen=True)
class Swatch:
    """The colours of one owner: a strong colour (borders, header band), a tint (card body)."""

    strong: str
    tint: str
    on_strong: str = "#ffffff"
    """Text colour on the strong colour."""


# Strong colours with at least 4.5:1 contrast against white text; tints for the card bodies.
_LIGHT_OWNERS = (
    Swatch("#1d4ed8", "#eff6ff"),  # blue
    Swatch("#b45309", "#fffbeb"),  # amber
    Swatch("#047857", "#ecfdf5"),  # emerald
    Swatch("#7e22ce", "#faf5ff"),  # purple
    Swatch("#0e7490", "#ecfeff"),  # cyan
    Swatch("#be185d", "#fdf2f8"),  # pink
    Swatch("#4d7c0f", "#f7fee7"),  # lime
    Swatch("#475569", "#f8fafc"),  # slate
)

# On a dark background: bright strong colours carrying dark text, deep tints for the bodies.
_DARK_OWNERS = (
    Swatch("#60a5fa", "#172554", "#0b1220"),
    Swatch("#fbbf24", "#3b2704", "#0b1220"),
    Swatch("#34d399", "#052e22", "#0b1220"),
    Swatch("#c084fc", "#2e1065", "#0b1220"),
    Swatch("#22d3ee", "#083344", "#0b1220"),
    Swatch("#f472b6", "#500724", "#0b1220"),
    Swatch("#a3e635", "#1a2e05", "#0b1220"),
    Swatch("#cbd5e1", "#1e293b", "#0b1220"),
)


@dataclass(frozen=True)
class Theme:
    name: str
    # type sizes in points
    title_size: int
    heading_size: int
    name_size: int
    body_size: int
    small_size: int
    # strokes in points
    pen: float
    edge_pen: float
    cluster_pen: float
    highlight_pen: float
    # colours
    bg: str
    text: str
    muted: str
    owners: tuple[Swatch, ...]
    no_owner: Swatch
    card_body: str | None
    """Card body colour; None uses the owner's tint."""
    header_on_tint: bool
    """True: the header band is the tint with the owner name in the strong colour (ink-saving)."""
    cluster_fill: str
    cluster_border: str
    cluster_text: str
    edge: str
    transition: str
    drop: str
    drop_fill: str
    recovery: str
    highlight: str
    grid: str
    """Lines of the journey and funnel tables."""
    row_header_fill: str
    neutral_fill: str
    """Empty scale cells and the planned bar of the funnel."""
    funnel_bar: str
    pain_fill: str = "#fef2f2"
    opportunity_fill: str = "#f0fdf4"
    status: dict[str | None, str] = field(default_factory=dict)
    emotion: tuple[str, str, str, str, str] = ("#dc2626", "#f97316", "#64748b", "#65a30d", "#16a34a")
    """Colours for emotion −2 … +2."""
    # layout
    wrap: int = 20
    """Display columns a stage name wraps at (a Japanese character takes two)."""
    cell_wrap: int = 22
    """Display columns of a journey table cell."""
    nodesep: float = 0.35
    ranksep: float = 0.6
    pad: float = 0.3
    dim: float = 0.62
    """How far other stages fade towards the background when one is highlighted."""

    def swatch(self, index: int | None) -> Swatch:
        if index is None:
            return self.no_owner
        return self.owners[index % len(self.owners)]


_STATUS_LIGHT = {"on_track": "#15803d", "at_risk": "#b45309", "off_track": "#b91c1c", None: "#64748b"}
_STATUS_DARK = {"on_track": "#4ade80", "at_risk": "#fbbf24", "off_track": "#f87171", None: "#94a3b8"}

DEFAULT = Theme(
    name="default",
    title_size=22,
    heading_size=15,
    name_size=14,
    body_size=11,
    small_size=10,
    pen=1.6,
    edge_pen=1.6,
    cluster_pen=1.2,
    highlight_pen=5,
    bg="#ffffff",
    text="#111827",
    muted="#475569",
    owners=_LIGHT_OWNERS,
    no_owner=Swatch("#64748b", "#f8fafc"),
    card_body=None,
    header_on_tint=False,
    cluster_fill="#f1f5f9",
    cluster_border="#cbd5e1",
    cluster_text="#1e293b",
    edge="#334155",
    transition="#6d28d9",
    drop="#b91c1c",
    drop_fill="#fef2f2",
    recovery="#15803d",
    highlight="#f59e0b",
    grid="#cbd5e1",
    row_header_fill="#e2e8f0",
    neutral_fill="#e2e8f0",
    funnel_bar="#1d4ed8",
    status=_STATUS_LIGHT,
    wrap=20,
    cell_wrap=24,
)

PROJECTOR = replace(
    DEFAULT,
    name="projector",
    title_size=40,
    heading_size=30,
    name_size=28,
    body_size=22,
    small_size=20,
    pen=3,
    edge_pen=3.5,
    cluster_pen=2.5,
    highlight_pen=9,
    text="#000000",
    muted="#1f2937",
    cluster_fill="#f1f5f9",
    cluster_border="#475569",
    cluster_text="#000000",
    edge="#1f2937",
    grid="#64748b",
    wrap=20,
    cell_wrap=20,
    nodesep=0.5,
    ranksep=0.9,
    pad=0.5,
)

PROJECTOR_DARK = replace(
    PROJECTOR,
    name="projector-dark",
    bg="#0b1220",
    text="#f8fafc",
    muted="#cbd5e1",
    owners=_DARK_OWNERS,
    no_owner=Swatch("#cbd5e1", "#1e293b", "#0b1220"),
    cluster_fill="#111a2e",
    cluster_border="#64748b",
    cluster_text="#f8fafc",
    edge="#e2e8f0",
    transition="#c4b5fd",
    drop="#f87171",
    drop_fill="#3f0d0d",
    recovery="#4ade80",
    highlight="#fde047",
    grid="#64748b",
    row_header_fill="#1e293b",
    neutral_fill="#334155",
    funnel_bar="#60a5fa",
    pain_fill="#3b1010",
    opportunity_fill="#0a2e1a",
    status=_STATUS_DARK,
    emotion=("#f87171", "#fb923c", "#94a3b8", "#a3e635", "#4ade80"),
    dim=0.55,
)

PRINT = replace(
    DEFAULT,
    name="print",
    title_size=18,
    heading_size=13,
    name_size=12,
    body_size=10,
    small_size=9,
    pen=1.2,
    edge_pen=1.2,
    cluster_pen=0.8,
    highlight_pen=4,
    text="#000000",
    muted="#374151",
    card_body="#ffffff",
    header_on_tint=True,
    cluster_fill="#ffffff",
    cluster_border="#9ca3af",
    cluster_text="#000000",
    edge="#111827",
    row_header_fill="#f3f4f6",
    neutral_fill="#e5e7eb",
    funnel_bar="#4b5563",
    pain_fill="#ffffff",
    opportunity_fill="#ffffff",
)

THEMES: dict[str, Theme] = {t.name: t for t in (DEFAULT, PROJECTOR, PROJECTOR_DARK, PRINT)}


def get_theme(name: str) -> Theme:
    try:
        return THEMES[name]
    except KeyError:
        raise ValueError(f"unknown theme '{name}' (known: {', '.join(THEMES)})") from None


def blend(color: str, towards: str, amount: float) -> str:
    """`color` moved `amount` (0…1) of the way to `towards`; both '#rrggbb'."""
    a = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(towards[i : i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(x + (y - x) * amount) for x, y in zip(a, b)]
    return "#" + "".join(f"{c:02x}" for c in mixed)


def _luminance(color: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two '#rrggbb' colours (1 … 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def ink_on(background: str, dark: str = "#111827", light: str = "#ffffff") -> str:
    """The more legible of a dark and a light text colour on `background`."""
    return dark if contrast(dark, background) >= contrast(light, background) else light
