"""What a trend chart draws around its lines: a shaded normal range and event markers."""
from numbers import Number

from app.charts import svg
from app.charts.colours import INK, MUTED
from app.charts.scale import clean, format_value

BAND_FILL = "#cbd5e1"
BAND_OPACITY = 0.45
MARKER_LABEL_LIMIT = 28
MARKER_ROW = 13


def normalise_band(band, count):
    """A (low, high) or None per week, from a constant pair or a per-week list of pairs."""
    if not band:
        return [None] * count
    band = list(band)
    if len(band) == 2 and all(v is None or isinstance(v, Number) for v in band):
        return [_pair(band)] * count
    band = [_pair(b) for b in band[:count]]
    return band + [None] * (count - len(band))


def _pair(entry):
    try:
        low, high = (clean(v) for v in entry)
    except (TypeError, ValueError):
        return None
    if low is None or high is None:
        return None
    return min(low, high), max(low, high)


def format_band(pair, digits):
    """A band entry as table text, e.g. `2.5–3.5`."""
    if pair is None:
        return "no data"
    return f"{format_value(pair[0], digits)}{svg.DASH}{format_value(pair[1], digits)}"


def band(bands, xs, y, plot, label):
    """Shaded polygons through each run of consecutive weeks that have a band."""
    # A one-week run would be a zero-width polygon, so it widens to half a week either side.
    half_week = plot.width / max(len(xs) - 1, 1) / 2
    shapes = [_run_shape(run, xs, y, plot, half_week) for run in _runs(bands)]
    if not shapes:
        return svg.group()
    return svg.group(svg.element("title", label), *shapes, class_="chart-band",
                     fill=BAND_FILL, fill_opacity=BAND_OPACITY)


def _runs(bands):
    runs, current = [], []
    for index, pair in enumerate(bands):
        if pair is not None:
            current.append((index, pair))
        elif current:
            runs.append(current)
            current = []
    return runs + [current] if current else runs


def _run_shape(run, xs, y, plot, half_week):
    if len(run) == 1:
        index, (low, high) = run[0]
        left = max(plot.left, xs[index] - half_week)
        right = min(plot.right, xs[index] + half_week)
        return svg.element("rect", x=left, y=y(high), width=right - left,
                           height=max(y(low) - y(high), 1.0))
    upper = [(xs[i], y(high)) for i, (_, high) in run]
    lower = [(xs[i], y(low)) for i, (low, _) in reversed(run)]
    points = " ".join(f"{svg.num(px)},{svg.num(py)}" for px, py in upper + lower)
    return svg.element("polygon", points=points)


def band_swatch(x, y):
    """The legend sample for the band."""
    return svg.element("rect", x=float(x), y=float(y - 6), width=18.0, height=12.0,
                       fill=BAND_FILL, fill_opacity=BAND_OPACITY, class_="chart-band")


def markers(entries, weeks, xs, plot):
    """A labelled vertical line per (week, label); weeks not on the chart are skipped."""
    where = {week: index for index, week in enumerate(weeks)}
    parts = []
    for week, label in entries or []:
        index = where.get(svg.clean_text(week))
        if index is not None:
            parts.append(_marker(xs[index], label, len(parts) % 2, plot))
    return svg.group(*parts, class_="chart-markers")


def _marker(x, label, row, plot):
    # Alternate rows so two markers in neighbouring weeks do not print over each other.
    label_y = plot.top - 8 - row * MARKER_ROW
    anchor = "start" if x < (plot.left + plot.right) / 2 else "end"
    line = svg.element("line", x1=x, x2=x, y1=label_y + 3, y2=plot.bottom, stroke=INK,
                       stroke_width=1.0, stroke_dasharray="4 3", class_="chart-marker-line")
    name = svg.text(x + (3 if anchor == "start" else -3), label_y, label,
                    limit=MARKER_LABEL_LIMIT, text_anchor=anchor, font_size=10.0, fill=MUTED,
                    class_="chart-marker-label")
    return svg.element("g", svg.element("title", label), line, name, class_="chart-marker")
