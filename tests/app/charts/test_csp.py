"""Every kind of chart, fed hostile names, stays inside a strict Content-Security-Policy."""
import pytest

from app.charts import gap_chart, heatmap, sparkline, trend_chart
from tests.app.charts.checks import EVIL, parse_chart

WEEKS = ["2026-W01", "2026-W02", "2026-W03"]

GALLERY = {
    "sparkline": lambda: sparkline([1.0, None, 3.0], label=EVIL),
    "empty sparkline": lambda: sparkline([], label=EVIL),
    "trend": lambda: trend_chart(
        [(EVIL, [3.0, None, 4.0], EVIL)], WEEKS, title=EVIL, y_min=1, y_max=5, y_label=EVIL,
        band=(2, 4), markers=[("2026-W02", EVIL)], band_label=EVIL),
    "heatmap": lambda: heatmap([EVIL], [EVIL, "b"], [[None, 3.0]], title=EVIL, low=1, high=5),
    "gap": lambda: gap_chart([(EVIL, None, 2.0), ("b", 1.0, 2.0)], title=EVIL,
                             left_label=EVIL, right_label=EVIL),
}


@pytest.mark.parametrize("kind", GALLERY)
def test_chart_has_no_inline_style_script_or_outside_reference(kind):
    markup = GALLERY[kind]()
    parse_chart(markup)
    assert "style=" not in markup and "<style" not in markup
    assert "<script" not in markup and "javascript:" not in markup
    assert markup.count("http") == 1  # the SVG namespace, which is a name, not a fetch
    assert "href" not in markup and "@import" not in markup


@pytest.mark.parametrize("kind", GALLERY)
def test_chart_escapes_hostile_names_into_text(kind):
    markup = GALLERY[kind]()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &#34;&amp;&#39;" in markup
