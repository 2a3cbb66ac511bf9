import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, strategies as st
from markupsafe import escape

from app.charts import svg
from tests.app.charts.checks import EVIL


def test_element_escapes_children_and_attribute_values():
    markup = svg.element("text", EVIL, class_=EVIL, font_size=11.0)
    parsed = ET.fromstring(markup)
    assert parsed.text == EVIL and parsed.get("class") == EVIL and parsed.get("font-size") == "11"


def test_element_keeps_markup_children_built_by_the_helpers():
    markup = svg.element("g", svg.element("title", "a<b"))
    assert markup == '<g><title>a&lt;b</title></g>'


def test_clean_text_drops_characters_xml_cannot_hold():
    assert svg.clean_text("a\x00b\x1fc\ud800d\tok") == "abcd\tok"
    assert svg.clean_text(None) == ""


def test_clean_class_keeps_class_name_characters_only():
    assert svg.clean_class('growth "x" y<z') == "growth x yz"
    assert svg.clean_class(None) == ""


@pytest.mark.parametrize("text, limit, expected", [
    ("Growth", 10, "Growth"), ("Growth marketing", 7, "Growth…"), ("ab", 1, "…"),
])
def test_truncate_ends_cut_text_with_an_ellipsis(text, limit, expected):
    assert svg.truncate(text, limit) == expected


def test_text_keeps_the_full_label_in_a_tooltip_only_when_cut():
    assert "<title>" not in svg.text(0, 0, "short", limit=10)
    cut = ET.fromstring(svg.text(0, 0, "a much longer label", limit=8))
    assert cut.find("title").text == "a much longer label" and cut[0].tail == "a much…"


def test_num_writes_compact_coordinates():
    assert [svg.num(v) for v in (1.0, 2.5, 1 / 3, -0.001)] == ["1", "2.5", "0.33", "0"]
    with pytest.raises(ValueError):
        svg.num(float("nan"))


def test_path_data_starts_a_new_segment_after_each_gap():
    points = [(0, 0), (1, 1), None, (2, 2), None, None, (3, 3), (4, 4)]
    assert svg.path_data(points) == "M0 0 L1 1 M2 2 M3 3 L4 4"
    assert svg.isolated_points(points) == [(2, 2)]


def test_documents_get_distinct_ids_so_several_charts_share_a_page():
    first = ET.fromstring(svg.document(kind="x", title="t", desc="d", width=1, height=1))
    second = ET.fromstring(svg.document(kind="x", title="t", desc="d", width=1, height=1))
    assert first.get("aria-labelledby") != second.get("aria-labelledby")


@given(value=st.floats(allow_nan=False, allow_infinity=False),
       name=st.sampled_from(["x", "stroke_width", "class_", "font_size", "viewBox"]))
def test_a_number_attribute_is_written_as_any_value_would_be(value, name):
    # Numbers skip the cleaning and escaping that any other value gets; the result is the same.
    general = f' {name.rstrip("_").replace("_", "-")}="{escape(svg.clean_text(svg.num(value)))}"'
    assert svg._attribute(name, value) == general
