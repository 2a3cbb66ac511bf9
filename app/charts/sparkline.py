"""Sparklines: a tiny weekly trend for a table cell or a team card."""
from app.charts import svg
from app.charts.colours import INK
from app.charts.scale import clean_values, format_value, linear, size, spread, value_range

PADDING = 3
LINE_COLOUR = "#2563eb"


def sparkline(values, *, label, width=120, height=28, low=None, high=None, digits=1):
    """A tiny trend line; None is a hidden week (the line breaks), the latest value is marked."""
    values = clean_values(values)
    width, height = size(width, 120), size(height, 28)
    if all(v is None for v in values):
        return svg.placeholder("sparkline", label, width=width, height=height,
                               size=(width, height))
    low, high = value_range(low, high, values)
    points = _points(values, low, high, width, height)
    return svg.document(
        _line(points), _dots(points),
        kind="sparkline", title=label, desc=_describe(values, digits),
        width=width, height=height, size=(width, height),
    )


def sparkline_rows(values, *, label, weeks=None, digits=1):
    """Headers and rows of strings for the table behind a sparkline (None → "no data")."""
    values = clean_values(values)
    weeks = list(weeks or [])
    names = [str(weeks[i]) if i < len(weeks) else f"Week {i + 1}" for i in range(len(values))]
    rows = [[name, format_value(v, digits, "no data")] for name, v in zip(names, values)]
    return ["Week", svg.clean_text(label)], rows


def _points(values, low, high, width, height):
    xs = spread(len(values), PADDING, width - PADDING)
    y = linear(low, high, height - PADDING, PADDING)
    return [None if v is None else (x, y(v)) for x, v in zip(xs, values)]


def _line(points):
    data = svg.path_data(points)
    return svg.element("path", d=data, class_="chart-line", fill="none", stroke=LINE_COLOUR,
                       stroke_width=1.5, stroke_linejoin="round", stroke_linecap="round")


def _dots(points):
    # A lone week between gaps has no line segment, so it gets a dot to stay visible.
    lone = [svg.element("circle", cx=x, cy=y, r=1.5, fill=LINE_COLOUR, class_="chart-point")
            for x, y in svg.isolated_points(points)]
    x, y = [p for p in points if p is not None][-1]
    latest = svg.element("circle", cx=x, cy=y, r=2.5, fill=INK, class_="chart-latest")
    return svg.group(*lone, latest)


def _describe(values, digits):
    shown = [v for v in values if v is not None]
    hidden = len(values) - len(shown)
    latest = format_value(shown[-1], digits)
    lowest, highest = format_value(min(shown), digits), format_value(max(shown), digits)
    parts = [f"Latest value {latest}", f"lowest {lowest}, highest {highest}",
             svg.count_of(len(values), "week")]
    if hidden:
        parts.append(f"{hidden} not shown")
    return "; ".join(parts) + "."
