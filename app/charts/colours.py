"""Colours computed in Python, so charts read correctly even before any stylesheet rule applies."""

# Orange ↔ blue diverging scale (after ColorBrewer PuOr/RdBu ends): distinguishable with the
# common red-green colour-vision deficiencies, and light in the middle so "neutral" looks calm.
BAD = (179, 88, 6)
NEUTRAL = (247, 247, 247)
GOOD = (33, 102, 172)

# Okabe–Ito colour-blind-safe palette for series, with dash patterns as a second cue.
SERIES_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#000000")
SERIES_DASHES = (None, "6 3", "2 3", "8 3 2 3")

INK = "#1f2933"
MUTED = "#52606d"
GRID = "#d9dee5"
SUPPRESSED = "#e4e7eb"


def _mix(start, end, share):
    return tuple(round(a + (b - a) * share) for a, b in zip(start, end))


def hex_colour(rgb):
    """An (r, g, b) triple as `#rrggbb`."""
    return "#" + "".join(f"{channel:02x}" for channel in rgb)


def diverging(share):
    """The fill for a position 0 (bad) … 0.5 (neutral) … 1 (good) on the orange–blue scale."""
    if share < 0.5:
        return hex_colour(_mix(BAD, NEUTRAL, share * 2))
    return hex_colour(_mix(NEUTRAL, GOOD, share * 2 - 1))


def _luminance(rgb):
    # WCAG relative luminance: linearise each sRGB channel, then weight by eye sensitivity.
    def linear(channel):
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def text_on(fill):
    """Dark or white text, whichever contrasts more with the `#rrggbb` fill."""
    rgb = tuple(int(fill[i:i + 2], 16) for i in (1, 3, 5))
    light = _luminance(rgb)
    # Contrast ratios against white (luminance 1) and our dark ink (about 0.021).
    return "#ffffff" if 1.05 / (light + 0.05) > (light + 0.05) / 0.071 else INK


def series_style(index):
    """Default stroke colour and dash pattern for the `index`-th series."""
    return (SERIES_COLOURS[index % len(SERIES_COLOURS)],
            SERIES_DASHES[index % len(SERIES_DASHES)])
