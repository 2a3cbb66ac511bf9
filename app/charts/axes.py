"""Axes shared by the line charts: the plot box, gridlines, tick labels and the legend."""
import math
from typing import NamedTuple

from app.charts import svg
from app.charts.colours import GRID, INK, MUTED
from app.charts.scale import nice_ticks, step_decimals

TICK_FONT = 11.0
LEGEND_SLOT = 168
LEGEND_ROW = 18


class Plot(NamedTuple):
    """The rectangle the data is drawn in, in viewBox pixels."""
    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self):
        """Horizontal room for data."""
        return self.right - self.left


def y_grid(plot, low, high, y):
    """Horizontal gridlines at round values, each labelled on the left."""
    ticks = nice_ticks(low, high)
    decimals = step_decimals(ticks)
    parts = []
    for tick in ticks:
        at = y(tick)
        parts.append(svg.element("line", x1=plot.left, x2=plot.right, y1=at, y2=at,
                                 stroke=GRID, stroke_width=1.0, class_="chart-grid"))
        parts.append(svg.text(plot.left - 6, at, f"{tick:.{decimals}f}", class_="chart-tick",
                              text_anchor="end", dy="0.35em", font_size=TICK_FONT, fill=MUTED))
    return svg.group(*parts)


def label_indices(count, room, label_width=64):
    """Which of `count` evenly spaced x labels fit in `room` pixels without overlapping."""
    fitting = max(1, int(room // label_width))
    return range(0, count, math.ceil(count / fitting))


def x_labels(plot, labels, xs, limit=10):
    """Week labels under the plot, thinned so that neighbours never overlap."""
    shown = label_indices(len(labels), plot.width + 40)
    return svg.group(*(
        svg.text(xs[i], plot.bottom + 16, labels[i], limit=limit, class_="chart-tick",
                 text_anchor="middle", font_size=TICK_FONT, fill=MUTED)
        for i in shown))


def x_axis(plot):
    """The baseline under the plot."""
    return svg.element("line", x1=plot.left, x2=plot.right, y1=plot.bottom, y2=plot.bottom,
                       stroke=MUTED, stroke_width=1.0, class_="chart-axis")


def y_title(plot, label):
    """The y-axis name, written upwards along the left edge."""
    middle = (plot.top + plot.bottom) / 2
    return svg.text(14, middle, label, limit=30, class_="chart-axis-label",
                    text_anchor="middle", font_size=TICK_FONT, fill=INK,
                    transform=f"rotate(-90 14 {svg.num(middle)})")


def legend_height(entries, width):
    """Height the legend needs for `entries` items across `width` pixels."""
    per_row = max(1, int(width // LEGEND_SLOT))
    return math.ceil(entries / per_row) * LEGEND_ROW


def legend(left, top, width, items):
    """Legend entries in rows; each item is (draw_swatch(x, y) -> markup, name, css class)."""
    per_row = max(1, int(width // LEGEND_SLOT))
    parts = []
    for i, (draw_swatch, name, css_class) in enumerate(items):
        x = left + (i % per_row) * LEGEND_SLOT
        y = top + (i // per_row) * LEGEND_ROW
        parts.append(svg.group(
            draw_swatch(x, y),
            svg.text(x + 24, y, name, limit=22, dy="0.35em", font_size=TICK_FONT, fill=INK),
            class_=f"chart-legend-item {css_class}".strip()))
    return svg.group(*parts, class_="chart-legend")
