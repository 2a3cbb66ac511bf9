"""Checks every chart must pass: parseable, accessible, CSP-safe SVG."""
import re
import xml.etree.ElementTree as ET

from markupsafe import Markup

NS = "{http://www.w3.org/2000/svg}"
EVIL = "<script>alert(1)</script> \"&'"
FORBIDDEN_ELEMENTS = {"script", "style", "foreignObject", "image", "use", "a", "iframe"}
POSITION_ATTRIBUTES = ("x", "y", "cx", "cy", "x1", "x2", "y1", "y2")


def parse_chart(markup):
    """The chart's root element, after asserting the rules every chart must keep."""
    assert isinstance(markup, Markup)
    assert "<script" not in markup.lower() and "<style" not in markup.lower()
    root = ET.fromstring(str(markup))
    assert root.tag == f"{NS}svg" and root.get("role") == "img"
    assert re.fullmatch(r"0 0 [\d.]+ [\d.]+", root.get("viewBox"))
    _assert_nothing_a_strict_csp_blocks(root)
    _assert_labelled(root)
    _assert_positions_inside(root)
    return root


def _assert_nothing_a_strict_csp_blocks(root):
    for element in root.iter():
        assert element.tag.removeprefix(NS) not in FORBIDDEN_ELEMENTS
        for name, value in element.attrib.items():
            assert name != "style" and not name.startswith("on") and "href" not in name
            assert "url(" not in value or re.fullmatch(r"url\(#[\w-]+\)", value)


def _assert_labelled(root):
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{NS}title").get("id") == title_id
    assert root.find(f"{NS}desc").get("id") == desc_id


def _assert_positions_inside(root):
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    for element in root.iter():
        for name in POSITION_ATTRIBUTES:
            if element.get(name) is not None:
                limit = width if name.startswith(("x", "cx")) else height
                assert -1 <= float(element.get(name)) <= limit + 1, (element.tag, name)


def title_of(root):
    """The chart's own title text."""
    return root.find(f"{NS}title").text


def visible_text(element):
    """What a `<text>` shows, leaving out its `<title>` tooltip child."""
    return (element.text or "") + "".join(child.tail or "" for child in element)


def all_visible_text(root):
    """Everything the chart prints, one string per `<text>`."""
    return [visible_text(t) for t in root.iter(f"{NS}text")]


def by_class(root, css_class):
    """Elements whose class list holds `css_class`."""
    return [e for e in root.iter() if css_class in (e.get("class") or "").split()]

#: How a missing value would leak if it were ever drawn as a number.
LEAKED_MISSING = r"\b(?:nan|NaN|inf|None)\b"
