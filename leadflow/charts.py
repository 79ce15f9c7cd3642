"""Server-rendered SVG charts: plain data in, bar geometry out; the templates draw them
(templates/dashboard/_bars.html), each with a table of the same numbers beside it."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

WIDTH = 520
LABEL_WIDTH = 150
BAR_HEIGHT = 22
GAP = 8


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | Decimal | None
    shown: str  # the value as the chart prints it ("n/a" when there is none)
    y: int
    width: int
    css: str = ""

    @property
    def short(self) -> str:
        """The label as drawn beside its bar; the whole label goes in its tooltip."""
        return short_label(self.label)


# What fits in LABEL_WIDTH at the chart's 12 px labels, wide letters included.
LABEL_CHARS = 20


def short_label(label: str, limit: int = LABEL_CHARS) -> str:
    """Cut a long label at its end, on a word where one is near, with an ellipsis: the
    start of a name ("Google Ads — spring") is what tells bars apart."""
    label = " ".join(str(label).split())
    if len(label) <= limit:
        return label
    cut = label[: limit - 1]
    space = cut.rfind(" ")
    if label[limit - 1] != " " and space >= limit // 2:  # the cut splits a word: drop it
        cut = cut[:space]
    return cut.rstrip(" —-–,.:;") + "…"


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    height: int
    label_width: int = LABEL_WIDTH
    width: int = WIDTH

    @property
    def plot_width(self) -> int:
        return self.width - self.label_width - 70


def local_number(value: float | Decimal, digits: int = 0) -> str:
    """A chart's number as the tables beside it show it: in the reader's locale, grouped
    ("12,345.5" in English, "12.345,5" in Spanish)."""
    return formats.number_format(
        round(Decimal(str(value)), digits), decimal_pos=digits, use_l10n=True, force_grouping=True
    )


def bars(
    rows: Sequence[tuple[str, float | Decimal | None]],
    *,
    css: Sequence[str] = (),
    unit: str = "",
    digits: int = 0,
) -> BarChart:
    """Horizontal bars scaled to the largest value; a missing value draws no bar."""
    largest = max((float(v) for _label, v in rows if v), default=0.0)
    plot = WIDTH - LABEL_WIDTH - 70
    drawn = []
    for index, (label, value) in enumerate(rows):
        width = round(plot * float(value) / largest) if value and largest else 0
        shown = _("n/a") if value is None else f"{local_number(value, digits)}{unit}"
        drawn.append(
            Bar(
                label=label,
                value=value,
                shown=shown,
                y=index * (BAR_HEIGHT + GAP),
                width=max(width, 1 if value else 0),
                css=css[index] if index < len(css) else "",
            )
        )
    return BarChart(bars=drawn, height=max(len(rows) * (BAR_HEIGHT + GAP), BAR_HEIGHT))


@dataclass(frozen=True)
class Trend:
    fit: str  # SVG polyline points
    intent: str
    width: int
    height: int
    first: object
    last: object


def trend(
    rows: Sequence[tuple[object, int, int]], *, width: int = 260, height: int = 60
) -> Trend | None:
    """Fit and intent over time as two polylines (oldest left), from score history rows
    (at, fit, intent); None with fewer than two points."""
    if len(rows) < 2:
        return None
    step = width / (len(rows) - 1)

    def line(index: int) -> str:
        return " ".join(
            f"{round(i * step, 1)},{round(height - row[index] * height / 100, 1)}"
            for i, row in enumerate(rows)
        )

    return Trend(fit=line(1), intent=line(2), width=width, height=height, first=rows[0][0],
                 last=rows[-1][0])  # fmt: skip
