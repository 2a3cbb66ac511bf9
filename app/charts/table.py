"""The accessible data table that stands behind every chart."""
from markupsafe import Markup, escape

from app.charts.svg import clean_text


def chart_table(caption, headers, rows, *, css_class="chart-table"):
    """An HTML `<table>` of the chart's data; the first cell of each row is its header."""
    head = Markup("").join(_cell("th", h, scope="col") for h in headers)
    body = Markup("").join(_row(row) for row in rows)
    return Markup(
        '<table class="{}"><caption>{}</caption><thead><tr>{}</tr></thead>'
        "<tbody>{}</tbody></table>"
    ).format(css_class, clean_text(caption), head, body)


def _row(cells):
    cells = list(cells)
    if not cells:
        return Markup("")
    first = _cell("th", cells[0], scope="row")
    rest = Markup("").join(_cell("td", c) for c in cells[1:])
    return Markup("<tr>{}{}</tr>").format(first, rest)


def _cell(tag, content, scope=None):
    scope_attr = Markup(' scope="{}"').format(scope) if scope else Markup("")
    return Markup("<{0}{1}>{2}</{0}>").format(Markup(tag), scope_attr, escape(clean_text(content)))
