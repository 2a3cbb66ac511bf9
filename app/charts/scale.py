"""Numbers to positions: cleaning values, ranges, linear scales and axis ticks."""
import math

NICE_STEPS = (1, 2, 2.5, 5, 10)


def clean(value):
    """`value` as a finite float, or None for missing, NaN, infinite or non-numeric values."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def clean_values(values):
    """A list of finite floats or None; a missing list is an empty one."""
    return [clean(v) for v in (values or [])]


def clamp(value, low, high):
    """`value` kept inside [low, high]."""
    return min(max(value, low), high)


def value_range(low, high, values=()):
    """A drawable (low, high): defaults from `values`, swapped if reversed, widened if empty."""
    finite = [v for v in values if v is not None]
    low = clean(low) if clean(low) is not None else min(finite, default=0.0)
    high = clean(high) if clean(high) is not None else max(finite, default=1.0)
    low, high = min(low, high), max(low, high)
    if high - low <= abs(high) * 1e-12:
        # A zero-height range cannot be divided by; centre the values in a unit-wide range.
        return low - 0.5, high + 0.5
    return low, high


def fraction(value, low, high):
    """Where `value` sits in [low, high] as 0..1, clamped."""
    # Halving first keeps (high - low) finite even for the extreme ends of the float range.
    span = high / 2 - low / 2
    if span <= 0:
        return 0.5
    return clamp((value / 2 - low / 2) / span, 0.0, 1.0)


def linear(low, high, start, end):
    """A function mapping [low, high] onto [start, end] (pixels), clamping outside values."""
    return lambda value: start + fraction(value, low, high) * (end - start)


def nice_step(raw):
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ at least `raw`."""
    power = 10.0 ** math.floor(math.log10(raw))
    if power == 0:
        return raw
    return next(step * power for step in NICE_STEPS if step * power >= raw * (1 - 1e-9))


def nice_ticks(low, high, count=5):
    """Round tick values covering [low, high], about `count` intervals apart."""
    span = high / 2 - low / 2
    if span <= 0 or not math.isfinite(high - low):
        return [low, high]
    step = nice_step(2 * span / count)
    first = math.ceil(low / step - 1e-9)
    ticks = [(first + i) * step for i in range(count * 3)]
    # Near the float maximum a tick one step on can overflow to infinity.
    return [t for t in ticks if math.isfinite(t) and t <= high + step * 1e-9] or [low, high]


def step_decimals(ticks):
    """How many decimals make every tick label distinct and exact (at most 4)."""
    for decimals in range(5):
        if all(abs(round(t, decimals) - t) < 1e-9 * max(1.0, abs(t)) for t in ticks):
            return decimals
    return 4


def format_value(value, digits=1, missing=""):
    """A value as table or chart text; `missing` stands in for None."""
    value = clean(value)
    if value is None:
        return missing
    text = f"{value:.{digits}f}"
    # "-0.0" would suggest a negative score where there is none.
    return text.lstrip("-") if float(text) == 0 else text


def spread(count, start, end):
    """`count` evenly spaced positions from `start` to `end`; a single one sits in the middle."""
    if count == 1:
        return [(start + end) / 2]
    return [start + i * (end - start) / (count - 1) for i in range(count)]


def size(value, default, largest=4000):
    """A usable pixel size: `default` unless `value` is a finite positive number (capped)."""
    value = clean(value)
    return default if value is None or value < 1 else min(value, largest)
