"""Heatmaps: teams × drivers, coloured on an orange (bad) ↔ blue (good) scale."""
from app.charts import svg
from app.charts.colours import INK, MUTED, SUPPRESSED, diverging, text_on
from app.charts.scale import clean, format_value, fraction, value_range

CELL_W, CELL_H = 64, 32
LABEL_W = 160
#: Column names are written at 45°: each character adds about this much height and reach.
HEADER_PER_CHAR = 4.6
LEGEND_H = 48
LEGEND_W = LABEL_W + 400
ROW_LABEL_LIMIT = 22
COLUMN_LABEL_LIMIT = 20
SUPPRESSED_NOTE = "not enough answers"


def heatmap(rows, columns, values, *, title, low, high, higher_is_better=True, digits=1):
    """A teams × drivers grid; a None value is a suppressed cell, hatched and printed "–"."""
    rows = [svg.clean_text(r) for r in (rows or [])]
    columns = [svg.clean_text(c) for c in (columns or [])]
    if not rows or not columns:
        return svg.placeholder("heatmap", title, width=LABEL_W + 2 * CELL_W, height=60)
    grid = normalise_grid(values, len(rows), len(columns))
    low, high = value_range(low, high)
    ident = svg.new_id("heatmap")
    hatch = f"{ident}-hatch"
    top = _header_height(columns)
    # The last column's slanted name reaches about as far right as it rises.
    width = max(LABEL_W + len(columns) * CELL_W + top, LEGEND_W)
    grid_bottom = top + len(rows) * CELL_H
    scale = (low, high, higher_is_better)
    return svg.document(
        _hatch_pattern(hatch), _column_labels(columns, top), _row_labels(rows, top),
        _cells(rows, columns, grid, top, (scale, hatch, digits)),
        _legend(grid_bottom + 16, scale, hatch, digits),
        kind="heatmap", ident=ident, title=title, desc=_describe(rows, columns, grid, scale),
        width=width, height=grid_bottom + LEGEND_H,
    )


def heatmap_rows(rows, columns, values, *, digits=1):
    """Headers and rows of strings for the table behind a heatmap (None → "not enough answers")."""
    rows = [svg.clean_text(r) for r in (rows or [])]
    columns = [svg.clean_text(c) for c in (columns or [])]
    grid = normalise_grid(values, len(rows), len(columns))
    body = [[name, *(format_value(v, digits, SUPPRESSED_NOTE) for v in line)]
            for name, line in zip(rows, grid)]
    return ["Team", *columns], body


def normalise_grid(values, row_count, column_count):
    """`values` as exactly row_count × column_count cleaned floats, None where missing."""
    values = list(values or [])
    grid = []
    for r in range(row_count):
        line = [clean(v) for v in (values[r] if r < len(values) and values[r] else [])]
        grid.append((line + [None] * column_count)[:column_count])
    return grid


def cell_fill(value, low, high, higher_is_better):
    """The cell colour for `value`: orange when bad, light when neutral, blue when good."""
    share = fraction(value, low, high)
    return diverging(share if higher_is_better else 1 - share)


def _hatch_pattern(pattern_id):
    # Diagonal hatching tells "hidden" apart from any colour on the scale, also in greyscale.
    stripes = svg.element("path", d="M0 6 L6 0", stroke=MUTED, stroke_width=1.0)
    pattern = svg.element("pattern", svg.element("rect", width=6.0, height=6.0, fill=SUPPRESSED),
                          stripes, id=pattern_id, width=6.0, height=6.0,
                          patternUnits="userSpaceOnUse")
    return svg.element("defs", pattern)


def _header_height(columns):
    longest = max(len(svg.truncate(c, COLUMN_LABEL_LIMIT)) for c in columns)
    return 20 + longest * HEADER_PER_CHAR


def _column_labels(columns, top):
    parts = []
    for c, name in enumerate(columns):
        x, y = LABEL_W + c * CELL_W + CELL_W / 2, top - 8
        parts.append(svg.text(x, y, name, limit=COLUMN_LABEL_LIMIT, font_size=11.0, fill=INK,
                              transform=f"rotate(-45 {svg.num(x)} {svg.num(y)})"))
    return svg.group(*parts, class_="chart-column-labels")


def _row_labels(rows, top):
    return svg.group(*(
        svg.text(LABEL_W - 8, top + r * CELL_H + CELL_H / 2, name, limit=ROW_LABEL_LIMIT,
                 text_anchor="end", dy="0.35em", font_size=12.0, fill=INK)
        for r, name in enumerate(rows)), class_="chart-row-labels")


def _cells(rows, columns, grid, top, style):
    return svg.group(*(
        _cell(LABEL_W + c * CELL_W, top + r * CELL_H, f"{rows[r]}, {columns[c]}", grid[r][c],
              *style)
        for r in range(len(rows)) for c in range(len(columns))), class_="chart-cells")


def _cell(x, y, name, value, scale, hatch, digits):
    if value is None:
        fill, ink, shown, css = f"url(#{hatch})", INK, svg.DASH, "chart-cell chart-cell-suppressed"
        tooltip = f"{name}: {SUPPRESSED_NOTE}"
    else:
        fill, shown, css = cell_fill(value, *scale), format_value(value, digits), "chart-cell"
        ink, tooltip = text_on(fill), f"{name}: {shown}"
    box = svg.element("rect", x=float(x), y=float(y), width=float(CELL_W), height=float(CELL_H),
                      fill=fill, stroke="#ffffff", stroke_width=2.0)
    label = svg.text(x + CELL_W / 2, y + CELL_H / 2, shown, text_anchor="middle", dy="0.35em",
                     font_size=12.0, fill=ink, class_="chart-cell-value")
    return svg.element("g", svg.element("title", tooltip), box, label, class_=css)


def _legend(top, scale, hatch, digits):
    low, high, higher_is_better = scale
    steps = [low + (high - low) * i / 4 for i in range(5)]
    swatches = [svg.element("rect", x=float(LABEL_W + i * 28), y=float(top), width=26.0,
                            height=14.0, fill=cell_fill(v, *scale)) for i, v in enumerate(steps)]
    worse, better = (format_value(low, digits), format_value(high, digits))
    if not higher_is_better:
        worse, better = better, worse
    end = LABEL_W + 5 * 28
    hidden = svg.element("rect", x=float(end + 80), y=float(top), width=26.0, height=14.0,
                         fill=f"url(#{hatch})")
    return svg.group(*swatches, _legend_note(LABEL_W - 8, top, f"worse {worse}", "end"),
                     _legend_note(end + 4, top, f"{better} better"), hidden,
                     _legend_note(end + 110, top, SUPPRESSED_NOTE), class_="chart-legend")


def _legend_note(x, top, words, anchor=None):
    return svg.text(x, top + 7, words, text_anchor=anchor, dy="0.35em", font_size=11.0,
                    fill=MUTED)


def _describe(rows, columns, grid, scale):
    low, high, higher_is_better = scale
    hidden = sum(v is None for line in grid for v in line)
    direction = "higher is better" if higher_is_better else "lower is better"
    parts = [f"{svg.count_of(len(rows), 'team')} by {svg.count_of(len(columns), 'measure')}",
             f"scale {format_value(low)} to {format_value(high)}, {direction}"]
    if hidden:
        parts.append(f"{svg.count_of(hidden, 'cell')} hidden: {SUPPRESSED_NOTE}")
    return ". ".join(parts) + "."
