"""Simple bar charts drawn on the server as SVG: no JavaScript, no chart library, no CDN.

bar_chart() only computes geometry; engagements/_bar_chart.html draws it (so every text is
escaped by the template engine). Each chart sits next to a table with the same figures, which
is what screen readers and exports use.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.utils.formats import number_format

# Non-text contrast of at least 3:1 on white (WCAG 1.4.11), and told apart by the legend.
PALETTE = ["#0a58ca", "#1d6b34", "#7a0f12", "#8a5300"]

WIDTH, HEIGHT = 560, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 30, 42


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    fill: str
    title: str
    value_label: str = ""

    @property
    def center(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def label_y(self) -> float:
        return round(self.y - 4, 1)


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class XLabel:
    x: float
    lines: tuple[tuple[float, str], ...]  # (y, text), one per line under the axis


@dataclass(frozen=True)
class LegendItem:
    x: float
    label: str
    fill: str

    @property
    def text_x(self) -> float:
        return self.x + 16


@dataclass
class Chart:
    id: str
    title: str
    description: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_x: int = WIDTH - RIGHT
    baseline: int = HEIGHT - BOTTOM
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    x_labels: list[XLabel] = field(default_factory=list)
    legend: list[LegendItem] = field(default_factory=list)

    @property
    def tick_label_x(self) -> int:
        return self.left - 6


def nice_top(value: float, *, steps: int = 4) -> tuple[float, float]:
    """An axis top at or above value, and its step, in 1-2-5 steps; at least 0..steps."""
    if value <= steps:
        return float(steps), 1.0
    magnitude = 10 ** math.floor(math.log10(value / steps))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if step * steps >= value:
            break
    return step * steps, step


def _number(value: float) -> str:
    """A figure as people read it in the active language (12 or 2,5)."""
    if value == int(value):
        return str(int(value))
    return number_format(round(value, 1), decimal_pos=1)


def bar_chart(
    *, chart_id: str, title: str, description: str, categories: list[tuple[str, ...]],
    series: list[tuple[str, list[float]]], show_values: bool = False,
) -> Chart:
    """Grouped bars: one group per category (each a tuple of label lines), one bar per series."""
    chart = Chart(id=chart_id, title=title, description=description)
    plot_width = chart.right_x - chart.left
    plot_height = chart.baseline - TOP
    largest = max((v for _label, values in series for v in values), default=0)
    top, step = nice_top(largest)
    count = max(1, len(categories))
    group = plot_width / count
    bar_width = group * 0.8 / max(1, len(series))
    for i in range(int(round(top / step)) + 1):
        value = step * i
        chart.ticks.append(Tick(y=chart.baseline - plot_height * value / top,
                                label=_number(round(value, 2))))
    for c, lines in enumerate(categories):
        group_x = chart.left + group * c
        chart.x_labels.append(XLabel(
            x=round(group_x + group / 2, 1),
            lines=tuple((chart.baseline + 16 + 14 * i, text) for i, text in enumerate(lines)),
        ))
        for s, (label, values) in enumerate(series):
            value = values[c]
            height = plot_height * value / top
            chart.bars.append(Bar(
                x=round(group_x + group * 0.1 + bar_width * s, 1),
                y=round(chart.baseline - height, 1), width=round(bar_width, 1),
                height=round(height, 1), fill=PALETTE[s % len(PALETTE)],
                title=f"{label}, {' '.join(lines)}: {_number(value)}",
                value_label=_number(value) if show_values else "",
            ))
    if len(series) > 1:
        x = chart.left
        for s, (label, _values) in enumerate(series):
            chart.legend.append(LegendItem(x=x, label=label, fill=PALETTE[s % len(PALETTE)]))
            x += 24 + 7 * len(label)
    return chart
