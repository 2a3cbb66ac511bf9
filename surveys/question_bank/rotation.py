"""Which bank items a team is asked in a given round.

The rule: drivers are walked as one endless cycle in canonical order (role_clarity, lead_quality,
…, workload, role_clarity, …). Round r of a team with s driver slots takes the next s positions
of that cycle, positions r*s to r*s + s - 1. Because the cycle continues where the previous round
stopped, every round asks the drivers that have gone longest without being asked. Each time a
driver comes up again, its next item (in bank order) is used, so a driver is never asked with the
same statement twice in a row and every item of a driver is used within (items of driver) asks.

Round sizes (scaled items; the recommend item and the optional comment come on top, every round):

| cadence     | items | marketing / sales              | partner teams  |
|-------------|-------|--------------------------------|----------------|
| weekly      | 4     | 3 driver items + 1 paired item | 4 driver items |
| fortnightly | 6     | 5 driver items + 1 paired item | 6 driver items |
| monthly     | 8     | 7 driver items + 1 paired item | 8 driver items |

Guarantees with the ten drivers of bank v1, counting driver items only (the paired item's driver
is a bonus, never relied on): any k consecutive rounds together ask every driver, where
k = ceil(10 / driver slots) — see `coverage_window`:

- weekly: every driver within any 4 consecutive rounds (marketing/sales; 3 for partner teams),
  i.e. within any month.
- fortnightly: every driver within any 2 consecutive rounds, i.e. within any month.
- monthly: one round of at most 8 items cannot ask ten drivers. Each monthly round asks 8
  distinct drivers (7 for marketing/sales, plus the paired item), the ones least recently asked,
  and every driver is asked within any 2 consecutive rounds, so no driver goes more than one
  month without being asked.

Paired items are chosen from the round number alone (round r asks paired item r mod P), never
from the department, so marketing and sales teams on the same round number answer the same pair;
consecutive rounds ask different pairs and all P pairs come round within P rounds.
Everything is a pure function of its arguments: same inputs, same ids.
"""
import math

from .model import BOUNDARY_DEPARTMENTS, normalise_department

#: Scaled items per round, paired item included (recommend item and comment not counted).
ROUND_SIZES = {"weekly": 4, "fortnightly": 6, "monthly": 8}
#: Rounds that fit in about a month, for reading the guarantees above.
ROUNDS_PER_MONTH = {"weekly": 4, "fortnightly": 2, "monthly": 1}


class UnknownCadenceError(ValueError):
    """The cadence is not one of weekly, fortnightly or monthly."""


def is_boundary_department(department):
    """True for marketing and sales, which also answer paired boundary items."""
    return normalise_department(department) in BOUNDARY_DEPARTMENTS


def round_size(cadence):
    """Number of scaled items in a round of this cadence."""
    try:
        return ROUND_SIZES[cadence]
    except KeyError:
        known = ", ".join(ROUND_SIZES)
        raise UnknownCadenceError(f"unknown cadence {cadence!r} (known: {known})") from None


def driver_slots(cadence, department):
    """Driver items per round: the round size, less one for the paired item on the boundary."""
    size = round_size(cadence)
    return size - 1 if is_boundary_department(department) else size


def coverage_window(bank, cadence, department):
    """Fewest consecutive rounds that are guaranteed to ask every driver of the bank."""
    return math.ceil(len(bank.drivers) / driver_slots(cadence, department))


def paired_item_for_round(bank, round_number):
    """The paired item both marketing and sales answer in this round."""
    _check_round_number(round_number)
    return bank.paired_items[round_number % len(bank.paired_items)]


def plan_round_items(bank, cadence, round_number, department):
    """Item ids to ask a `department` team in round `round_number` (0 or 1 based, ≥ 0)."""
    _check_round_number(round_number)
    slots = driver_slots(cadence, department)
    ids = [item.id for item in _driver_items(bank, slots, round_number)]
    if is_boundary_department(department):
        ids.append(paired_item_for_round(bank, round_number).id)
    return ids


def _driver_items(bank, slots, round_number):
    drivers = bank.drivers
    start = round_number * slots
    for position in range(start, start + slots):
        driver = drivers[position % len(drivers)]
        # A driver sits at positions d, d+10, d+20, … so this is how often it was asked before.
        times_asked = position // len(drivers)
        items = bank.items_for_driver(driver)
        yield items[times_asked % len(items)]


def _check_round_number(round_number):
    if not isinstance(round_number, int) or isinstance(round_number, bool) or round_number < 0:
        raise ValueError(f"round_number must be a whole number ≥ 0, not {round_number!r}")
