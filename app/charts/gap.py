"""Gap charts: how marketing and sales each rate the same paired statements, side by side."""
from app.charts import svg
from app.charts.axes import Plot
from app.charts.colours import GRID, INK, MUTED, SERIES_COLOURS
from app.charts.scale import clean, format_value, linear, nice_ticks, step_decimals, value_range

LABEL_W = 260
PLOT_W = 320
NOTE_W = 150
HEADER_H = 52
ROW_H = 32
LABEL_LIMIT = 38
LEFT_COLOUR, RIGHT_COLOUR = SERIES_COLOURS[1], SERIES_COLOURS[0]
SUPPRESSED_NOTE = "not enough answers"


def gap_chart(items, *, title, left_label="Marketing", right_label="Sales", low=1, high=5,
              digits=1):
    """Paired items as rows of two dots (left and right team's view) joined by the gap."""
    items = normalise_items(items)
    if not items:
        return svg.placeholder("gap", title, width=LABEL_W + PLOT_W, height=60)
    low, high = value_range(low, high)
    plot = Plot(LABEL_W, HEADER_H, LABEL_W + PLOT_W, HEADER_H + len(items) * ROW_H)
    x = linear(low, high, plot.left, plot.right)
    names = (svg.clean_text(left_label), svg.clean_text(right_label))
    return svg.document(
        _scale(plot, low, high, x), _legend(names),
        svg.group(*(_row(i, item, x, names, digits) for i, item in enumerate(items)),
                  class_="chart-gap-rows"),
        kind="gap", title=title, desc=_describe(items, names, low, high, digits),
        width=plot.right + NOTE_W, height=plot.bottom + 8,
    )


def gap_rows(items, *, left_label="Marketing", right_label="Sales", digits=1):
    """Headers and rows of strings for the table behind a gap chart."""
    headers = ["Statement", svg.clean_text(left_label), svg.clean_text(right_label), "Gap"]
    rows = [[label, format_value(left, digits, SUPPRESSED_NOTE),
             format_value(right, digits, SUPPRESSED_NOTE), _gap_text(left, right, digits)]
            for label, left, right in normalise_items(items)]
    return headers, rows


def normalise_items(items):
    """`items` as (label, left, right) with cleaned values (None where missing)."""
    cleaned = []
    for entry in items or []:
        label, left, right = (list(entry) + [None, None, None])[:3]
        cleaned.append((svg.clean_text(label), clean(left), clean(right)))
    return cleaned


def gap_size(left, right):
    """The distance between the two views, or None when either is hidden."""
    return None if left is None or right is None else abs(right - left)


def _gap_text(left, right, digits):
    gap = gap_size(left, right)
    return SUPPRESSED_NOTE if gap is None else f"gap {format_value(gap, digits)}"


def _scale(plot, low, high, x):
    ticks = nice_ticks(low, high)
    decimals = step_decimals(ticks)
    parts = []
    for tick in ticks:
        at = x(tick)
        parts.append(svg.element("line", x1=at, x2=at, y1=plot.top - 4, y2=plot.bottom,
                                 stroke=GRID, stroke_width=1.0, class_="chart-grid"))
        parts.append(svg.text(at, plot.top - 10, f"{tick:.{decimals}f}", text_anchor="middle",
                              font_size=11.0, fill=MUTED, class_="chart-tick"))
    return svg.group(*parts)


def _legend(names):
    left_name, right_name = names
    return svg.group(
        _left_dot(LABEL_W + 6, 14), svg.text(LABEL_W + 16, 14, left_name, limit=20, dy="0.35em",
                                             font_size=11.0, fill=INK),
        _right_dot(LABEL_W + 166, 14), svg.text(LABEL_W + 176, 14, right_name, limit=20,
                                                dy="0.35em", font_size=11.0, fill=INK),
        class_="chart-legend")


def _left_dot(cx, cy):
    return svg.element("circle", cx=float(cx), cy=float(cy), r=6.0, fill=LEFT_COLOUR,
                       class_="chart-dot chart-dot-left")


def _right_dot(cx, cy):
    # A diamond, not a second circle: the two sides differ by shape as well as by colour.
    corners = [(cx, cy - 7), (cx + 7, cy), (cx, cy + 7), (cx - 7, cy)]
    points = " ".join(f"{svg.num(px)},{svg.num(py)}" for px, py in corners)
    return svg.element("polygon", points=points, fill=RIGHT_COLOUR,
                       class_="chart-dot chart-dot-right")


def _row(index, item, x, names, digits):
    label, left, right = item
    y = HEADER_H + index * ROW_H + ROW_H / 2
    name = svg.text(LABEL_W - 10, y, label, limit=LABEL_LIMIT, text_anchor="end",
                    dy="0.35em", font_size=12.0, fill=INK, class_="chart-row-label")
    note_class = "chart-gap-value" if gap_size(left, right) is not None else "chart-note"
    note = svg.text(LABEL_W + PLOT_W + 14, y, _gap_text(left, right, digits), dy="0.35em",
                    font_size=12.0, fill=INK, class_=note_class)
    tooltip = svg.element("title", f"{label}: {_views(left, right, names, digits)}")
    return svg.element("g", tooltip, name, *_marks(left, right, x, y), note,
                       class_="chart-gap-row")


def _marks(left, right, x, y):
    marks = []
    if left is not None and right is not None:
        marks.append(svg.element("line", x1=x(left), x2=x(right), y1=y, y2=y, stroke=MUTED,
                                 stroke_width=3.0, class_="chart-gap-line"))
    # The smaller circle goes on top, so equal views still show both marks.
    if right is not None:
        marks.append(_right_dot(x(right), y))
    if left is not None:
        marks.append(_left_dot(x(left), y))
    return marks


def _views(left, right, names, digits):
    return (f"{names[0]} {format_value(left, digits, SUPPRESSED_NOTE)}, "
            f"{names[1]} {format_value(right, digits, SUPPRESSED_NOTE)}, "
            f"{_gap_text(left, right, digits)}")


def _describe(items, names, low, high, digits):
    scale = f"Scale {format_value(low, digits)} to {format_value(high, digits)}"
    gaps = [gap_size(left, right) for _, left, right in items]
    shown = [(g, label) for g, (label, _, _) in zip(gaps, items) if g is not None]
    parts = [f"{svg.count_of(len(items), 'statement')} rated by {names[0]} and {names[1]}", scale]
    if shown:
        widest, label = max(shown, key=lambda pair: pair[0])
        parts.append(f"widest gap {format_value(widest, digits)} on {label}")
    if len(shown) < len(items):
        parts.append(f"{svg.count_of(len(items) - len(shown), 'statement')}: {SUPPRESSED_NOTE}")
    return ". ".join(parts) + "."
