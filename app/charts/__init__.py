"""Server-side SVG charts: pure functions that return `Markup` safe to inline under a strict CSP.

No scripts, no `style` attributes or elements, no external references: colours and sizes are SVG
presentation attributes, and every element also carries a `chart-…` class that the app stylesheet
may restyle (class rules beat presentation attributes). Every text is escaped. Each chart is an
`<svg role="img">` labelled by its own `<title>` and `<desc>`; each has a `*_rows` companion whose
(headers, rows) `chart_table` renders as the accessible table behind the chart.
Class names and suggested CSS: README.md beside this file.
"""
from app.charts.gap import gap_chart, gap_rows
from app.charts.heatmap import heatmap, heatmap_rows
from app.charts.sparkline import sparkline, sparkline_rows
from app.charts.table import chart_table
from app.charts.trend import trend_chart, trend_rows

__all__ = [
    "chart_table", "gap_chart", "gap_rows", "heatmap", "heatmap_rows",
    "sparkline", "sparkline_rows", "trend_chart", "trend_rows",
]
