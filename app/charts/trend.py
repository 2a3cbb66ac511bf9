"""Trend charts: one or more weekly series on a shared scale, with gaps where weeks are hidden."""
from typing import NamedTuple

from app.charts import axes, overlays, svg
from app.charts.colours import series_style
from app.charts.scale import clean_values, format_value, linear, spread, value_range

WIDTH = 640
PLOT_HEIGHT = 200
LEFT, RIGHT, TOP = 56, 36, 12
MARKER_ROOM = 30
X_LABEL_ROOM = 30
#: Above this many weeks, dots on every point would merge into a thick line.
MAX_DOTTED_WEEKS = 30
MAX_DESCRIBED_SERIES = 8


class Series(NamedTuple):
    """One line: its name, a value (or None) per week, and an optional CSS class."""
    name: str
    values: list
    css_class: str


def trend_chart(series, weeks, *, title, y_min, y_max, y_label, band=None, markers=None,
                band_label="Normal range", digits=1):
    """A weekly line chart of named series with gaps for hidden weeks, a band and markers."""
    weeks = [svg.clean_text(w) for w in (weeks or [])]
    if not weeks:
        return svg.placeholder("trend", title, width=WIDTH, height=80)
    lines = normalise_series(series, len(weeks))
    bands = overlays.normalise_band(band, len(weeks))
    low, high = value_range(y_min, y_max)
    plot, height = _layout(bool(markers), len(lines) + bool(any(bands)))
    xs = spread(len(weeks), plot.left, plot.right)
    y = linear(low, high, plot.bottom, plot.top)
    return svg.document(
        overlays.band(bands, xs, y, plot, band_label),
        axes.y_grid(plot, low, high, y), axes.x_axis(plot),
        axes.x_labels(plot, weeks, xs), axes.y_title(plot, y_label),
        overlays.markers(markers, weeks, xs, plot),
        svg.group(*(_line(i, s, xs, y) for i, s in enumerate(lines)), class_="chart-lines"),
        _legend(lines, any(bands), band_label, plot),
        kind="trend", title=title, desc=_describe(lines, weeks, y_label, low, high, digits),
        width=WIDTH, height=height,
    )


def trend_rows(series, weeks, *, band=None, band_label="Normal range", digits=1):
    """Headers and rows of strings for the table behind a trend chart (None → "no data")."""
    weeks = [svg.clean_text(w) for w in (weeks or [])]
    lines = normalise_series(series, len(weeks))
    bands = overlays.normalise_band(band, len(weeks))
    headers = ["Week", *(s.name for s in lines)] + ([band_label] if any(bands) else [])
    rows = []
    for i, week in enumerate(weeks):
        row = [week, *(format_value(s.values[i], digits, "no data") for s in lines)]
        if any(bands):
            row.append(overlays.format_band(bands[i], digits))
        rows.append(row)
    return [svg.clean_text(h) for h in headers], rows


def normalise_series(series, count):
    """`series` as Series tuples whose values are cleaned and cut or padded to `count` weeks."""
    lines = []
    for entry in series or []:
        name, values, css_class = (list(entry) + [None, None])[:3]
        values = clean_values(values)[:count]
        values += [None] * (count - len(values))
        lines.append(Series(svg.clean_text(name), values, svg.clean_class(css_class)))
    return lines


def _layout(has_markers, legend_entries):
    top = TOP + (MARKER_ROOM if has_markers else 0)
    plot = axes.Plot(LEFT, top, WIDTH - RIGHT, top + PLOT_HEIGHT)
    legend = axes.legend_height(legend_entries, plot.width)
    return plot, plot.bottom + X_LABEL_ROOM + legend + 6


def _line(index, series, xs, y):
    colour, dash = series_style(index)
    points = [None if v is None else (x, y(v)) for x, v in zip(xs, series.values)]
    dotted = points if len(points) <= MAX_DOTTED_WEEKS else svg.isolated_points(points)
    dots = [svg.element("circle", cx=p[0], cy=p[1], r=3.0, fill=colour, class_="chart-point")
            for p in dotted if p is not None]
    path = svg.element("path", d=svg.path_data(points), fill="none", stroke=colour,
                       stroke_width=2.0, stroke_dasharray=dash, stroke_linejoin="round",
                       class_="chart-line")
    return svg.element("g", svg.element("title", series.name), path, *dots,
                       class_=f"chart-series {_series_class(index, series)}")


def _series_class(index, series):
    # Shared by the line and its legend entry, so one CSS rule restyles both.
    return f"chart-series-{index + 1} {series.css_class}".strip()


def _legend(lines, has_band, band_label, plot):
    def line_swatch(index):
        colour, dash = series_style(index)
        return lambda x, y: svg.element(
            "line", x1=float(x), x2=float(x + 18), y1=float(y), y2=float(y), stroke=colour,
            stroke_width=2.0, stroke_dasharray=dash, class_="chart-line")
    items = [(line_swatch(i), s.name, _series_class(i, s)) for i, s in enumerate(lines)]
    if has_band:
        items.append((overlays.band_swatch, band_label, ""))
    return axes.legend(plot.left, plot.bottom + X_LABEL_ROOM + 6, plot.width, items)


def _describe(lines, weeks, y_label, low, high, digits):
    bounds = f"from {format_value(low, digits)} to {format_value(high, digits)}"
    scale = f"{svg.clean_text(y_label)} {bounds}"
    span = f"{svg.count_of(len(weeks), 'week')} from {weeks[0]} to {weeks[-1]}"
    latest = [_latest(s, weeks, digits) for s in lines[:MAX_DESCRIBED_SERIES]]
    if len(lines) > MAX_DESCRIBED_SERIES:
        latest.append(f"and {len(lines) - MAX_DESCRIBED_SERIES} more series")
    return ". ".join([span, scale, *latest]) + "."


def _latest(series, weeks, digits):
    shown = [(w, v) for w, v in zip(weeks, series.values) if v is not None]
    if not shown:
        return f"{series.name}: no data shown"
    week, value = shown[-1]
    return f"{series.name}: latest {format_value(value, digits)} in {week}"
