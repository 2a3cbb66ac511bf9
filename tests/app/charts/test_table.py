import xml.etree.ElementTree as ET

from jinja2 import Environment
from markupsafe import Markup

from app.charts import chart_table, sparkline, trend_rows
from tests.app.charts.checks import EVIL


def test_chart_table_escapes_and_scopes_its_headers():
    table = chart_table(EVIL, ["Week", EVIL], [["2026-W01", EVIL]])
    parsed = ET.fromstring(table)
    assert isinstance(table, Markup) and "<script>" not in table
    assert parsed.find("caption").text == EVIL
    assert [th.get("scope") for th in parsed.iter("th")] == ["col", "col", "row"]
    assert parsed.find("tbody/tr/td").text == EVIL


def test_chart_table_renders_a_trend_chart_companion():
    headers, rows = trend_rows([("Growth", [3.0, None], None)], ["2026-W01", "2026-W02"])
    parsed = ET.fromstring(chart_table("Role clarity by week", headers, rows))
    assert [td.text for td in parsed.iter("td")] == ["3.0", "no data"]


def test_charts_embed_in_an_autoescaping_template_without_double_escaping():
    page = Environment(autoescape=True).from_string("<p>{{ chart }}</p>")
    html = page.render(chart=sparkline([1.0, 2.0], label=EVIL))
    assert html.startswith("<p><svg ") and "&amp;lt;" not in html
