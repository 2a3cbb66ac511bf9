"""Writing SVG elements as escaped markup.

Everything a chart returns is built here, so escaping lives in one place: text children and
attribute values are escaped unless they already are `Markup` produced by these helpers.
"""
import functools
import itertools
import math
import re

from markupsafe import Markup, escape

from app.charts.colours import MUTED

SVG_NS = "http://www.w3.org/2000/svg"
ELLIPSIS = "…"
DASH = "–"

# XML 1.0 cannot hold these code points at all, even escaped; a team name containing one
# would make the whole page's SVG unparseable, so they are dropped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NOT_CLASS = re.compile(r"[^A-Za-z0-9_-]+")

# Several charts share one page, so their title/desc/pattern ids must differ.
_ids = itertools.count(1)


def new_id(kind):
    """A document-unique id for one chart, e.g. `chart-heatmap-12`."""
    return f"chart-{kind}-{next(_ids)}"


def clean_text(value):
    """`value` as a plain string that XML 1.0 can hold."""
    return _NOT_XML.sub("", "" if value is None else str(value))


def clean_class(value):
    """A caller's space-separated CSS classes, kept to class-name characters (may be empty)."""
    names = (_NOT_CLASS.sub("", name) for name in clean_text(value).split())
    return " ".join(name for name in names if name)


def truncate(text, limit):
    """`text` cut to `limit` characters, ending in an ellipsis when it was cut."""
    text = clean_text(text)
    if len(text) <= limit:
        return text
    return text[:max(limit - 1, 0)].rstrip() + ELLIPSIS


def num(value):
    """A coordinate written compactly: at most two decimals, no trailing zeros, no `-0`."""
    if not math.isfinite(value):
        raise ValueError(f"cannot draw a non-finite coordinate: {value!r}")
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


@functools.lru_cache(maxsize=None)
def _attribute_name(name):
    # Python names cannot hold hyphens: stroke_width -> stroke-width, class_ -> class.
    return name.rstrip("_").replace("_", "-")


def _attribute(name, value):
    name = _attribute_name(name)
    if isinstance(value, float):
        # Digits, "." and "-" only: nothing to clean or escape (a heatmap writes thousands).
        return f' {name}="{num(value)}"'
    return f' {name}="{escape(clean_text(value))}"'


def _child(child):
    return child if isinstance(child, Markup) else escape(clean_text(child))


def element(tag, *children, **attributes):
    """One SVG element; plain-string children and all attribute values are escaped."""
    # Plain f-strings rather than Markup.format: a heatmap builds thousands of elements, and
    # every variable part here is escaped explicitly, or is a tag or name from our own code.
    attrs = "".join(_attribute(k, v) for k, v in attributes.items() if v is not None)
    if not children:
        return Markup(f"<{tag}{attrs}/>")
    body = "".join(_child(c) for c in children)
    return Markup(f"<{tag}{attrs}>{body}</{tag}>")


def group(*children, **attributes):
    """A `<g>` of already-built elements (nothing at all when there are none)."""
    children = [c for c in children if c]
    return element("g", *children, **attributes) if children else Markup("")


def text(x, y, content, *, limit=None, **attributes):
    """A `<text>`; when cut to `limit` characters, a `<title>` keeps the full text as a tooltip."""
    shown = truncate(content, limit) if limit else clean_text(content)
    tooltip = element("title", content) if shown != clean_text(content) else Markup("")
    return element("text", tooltip, shown, x=float(x), y=float(y), **attributes)


def document(*body, kind, title, desc, width, height, ident=None, size=None):
    """A whole chart: an accessible `<svg role="img">` labelled by its own title and desc."""
    ident = ident or new_id(kind)
    shown_width, shown_height = size or ("100%", None)
    return element(
        "svg",
        element("title", title, id=f"{ident}-title"),
        element("desc", desc, id=f"{ident}-desc"),
        *body,
        xmlns=SVG_NS, viewBox=f"0 0 {num(width)} {num(height)}", role="img",
        aria_labelledby=f"{ident}-title {ident}-desc", class_=f"chart chart-{kind}",
        width=shown_width, height=shown_height, preserveAspectRatio="xMinYMin meet",
    )


def path_data(points):
    """Path commands for a line through `points`; a None point breaks the line (new `M`)."""
    commands, pen_down = [], False
    for point in points:
        if point is None:
            pen_down = False
            continue
        commands.append(f"{'L' if pen_down else 'M'}{num(point[0])} {num(point[1])}")
        pen_down = True
    return " ".join(commands)


def isolated_points(points):
    """Points with no drawn neighbour, which a path alone would leave invisible."""
    padded = [None, *points, None]
    return [p for before, p, after in zip(padded, padded[1:], padded[2:])
            if p is not None and before is None and after is None]


def placeholder(kind, title, *, width, height, size=None, message="no data"):
    """A small stand-in chart saying there is nothing to draw."""
    note = text(width / 2, height / 2, message, class_="chart-nodata", text_anchor="middle",
                dy="0.35em", font_size=min(12.0, height * 0.4), fill=MUTED)
    return document(note, kind=kind, title=title, desc=f"{clean_text(title)}: {message}.",
                    width=width, height=height, size=size)


def count_of(number, noun):
    """`1 week`, `3 weeks`: a count with its noun in the right number."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
