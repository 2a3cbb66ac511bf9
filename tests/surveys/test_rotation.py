"""Round planning: sizes, monthly driver coverage, paired-item alignment and determinism."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from surveys.question_bank import (
    DRIVERS,
    ROUND_SIZES,
    ROUNDS_PER_MONTH,
    PairedItem,
    UnknownCadenceError,
    coverage_window,
    load_bank_file,
    plan_round_items,
)
from surveys.question_bank.loader import BANK_DIR

DEPARTMENTS = ("marketing", "sales", "customer_success")
cadences = st.sampled_from(sorted(ROUND_SIZES))
departments = st.sampled_from(DEPARTMENTS)
round_numbers = st.integers(min_value=0, max_value=100_000)


def driver_items(bank, ids):
    """The scaled (non-paired) items among planned ids."""
    return [bank.by_id(i) for i in ids if not isinstance(bank.by_id(i), PairedItem)]


def drivers_asked(bank, cadence, department, first_round, rounds):
    """Drivers asked through driver items over consecutive rounds (paired items not counted)."""
    asked = set()
    for round_number in range(first_round, first_round + rounds):
        ids = plan_round_items(bank, cadence, round_number, department)
        asked |= {item.driver for item in driver_items(bank, ids)}
    return asked


@given(cadence=cadences, department=departments, round_number=round_numbers)
def test_round_has_three_to_eight_distinct_items(bank, cadence, department, round_number):
    ids = plan_round_items(bank, cadence, round_number, department)
    assert 3 <= len(ids) <= 8 and len(ids) == ROUND_SIZES[cadence]
    assert len(set(ids)) == len(ids)


@given(cadence=cadences, department=departments, round_number=round_numbers)
def test_round_asks_each_driver_at_most_once_in_driver_items(bank, cadence, department,
                                                             round_number):
    ids = plan_round_items(bank, cadence, round_number, department)
    drivers = [item.driver for item in driver_items(bank, ids)]
    assert len(set(drivers)) == len(drivers)


@pytest.mark.parametrize("cadence", ["weekly", "fortnightly"])
@pytest.mark.parametrize("department", DEPARTMENTS)
def test_every_driver_asked_within_any_month(bank, cadence, department):
    month = ROUNDS_PER_MONTH[cadence]
    for first_round in range(200):
        assert drivers_asked(bank, cadence, department, first_round, month) == set(DRIVERS)


@given(cadence=cadences, department=departments, first_round=round_numbers)
def test_coverage_window_rounds_ask_every_driver(bank, cadence, department, first_round):
    window = coverage_window(bank, cadence, department)
    assert drivers_asked(bank, cadence, department, first_round, window) == set(DRIVERS)


@pytest.mark.parametrize("cadence, department, window", [
    ("weekly", "marketing", 4), ("weekly", "finance", 3),
    ("fortnightly", "sales", 2), ("fortnightly", "finance", 2),
    ("monthly", "marketing", 2), ("monthly", "finance", 2),
])
def test_coverage_window_matches_documented_guarantee(bank, cadence, department, window):
    assert coverage_window(bank, cadence, department) == window


@pytest.mark.parametrize("department, distinct", [("sales", 7), ("finance", 8)])
def test_monthly_round_asks_least_recent_drivers_and_two_rounds_cover_all(bank, department,
                                                                          distinct):
    for first_round in range(100):
        one_round = drivers_asked(bank, "monthly", department, first_round, 1)
        assert len(one_round) == distinct
        assert drivers_asked(bank, "monthly", department, first_round, 2) == set(DRIVERS)
        # The drivers skipped last month are always among the next month's.
        skipped = set(DRIVERS) - one_round
        assert skipped <= drivers_asked(bank, "monthly", department, first_round + 1, 1)


@given(cadence=cadences, round_number=round_numbers)
def test_marketing_and_sales_answer_the_same_paired_item(bank, cadence, round_number):
    pairs = {
        department: [i for i in plan_round_items(bank, cadence, round_number, department)
                     if isinstance(bank.by_id(i), PairedItem)]
        for department in ("marketing", "sales")
    }
    assert len(pairs["marketing"]) == 1 and pairs["marketing"] == pairs["sales"]


@given(round_number=round_numbers)
def test_paired_item_depends_on_round_number_only(bank, round_number):
    asked = {plan_round_items(bank, cadence, round_number, "marketing")[-1]
             for cadence in ROUND_SIZES}
    assert asked == {bank.paired_items[round_number % len(bank.paired_items)].id}


@given(cadence=cadences, round_number=round_numbers)
def test_partner_teams_get_no_paired_items(bank, cadence, round_number):
    ids = plan_round_items(bank, cadence, round_number, "Finance")
    assert not any(isinstance(bank.by_id(i), PairedItem) for i in ids)


def test_consecutive_rounds_ask_different_pairs_and_all_pairs_come_round(bank):
    pair_count = len(bank.paired_items)
    asked = [plan_round_items(bank, "weekly", r, "sales")[-1] for r in range(pair_count + 1)]
    assert all(a != b for a, b in zip(asked, asked[1:]))
    assert set(asked[:pair_count]) == {pair.id for pair in bank.paired_items}


@pytest.mark.parametrize("cadence", sorted(ROUND_SIZES))
@pytest.mark.parametrize("department", DEPARTMENTS)
def test_a_driver_never_repeats_its_statement_on_consecutive_asks(bank, cadence, department):
    history = {driver: [] for driver in DRIVERS}
    for round_number in range(60):
        for item in driver_items(bank, plan_round_items(bank, cadence, round_number, department)):
            history[item.driver].append(item.id)
    for driver, asked in history.items():
        assert all(a != b for a, b in zip(asked, asked[1:])), driver
        every_item = {item.id for item in bank.items_for_driver(driver)}
        assert set(asked[:len(every_item)]) == every_item, driver


@given(cadence=cadences, department=departments, round_number=round_numbers)
def test_plan_is_deterministic_across_loads(bank, cadence, department, round_number):
    fresh = load_bank_file(BANK_DIR / "bank_v1.json")
    planned = plan_round_items(bank, cadence, round_number, department)
    assert planned == plan_round_items(bank, cadence, round_number, department)
    assert planned == plan_round_items(fresh, cadence, round_number, department)


def test_department_name_is_case_insensitive(bank):
    assert plan_round_items(bank, "weekly", 3, " Marketing") == \
        plan_round_items(bank, "weekly", 3, "marketing")


def test_unknown_cadence_raises_named_error(bank):
    with pytest.raises(UnknownCadenceError, match="daily"):
        plan_round_items(bank, "daily", 0, "sales")


@pytest.mark.parametrize("round_number", [-1, 1.5, True, "3"])
def test_bad_round_number_raises(bank, round_number):
    with pytest.raises(ValueError, match="round_number"):
        plan_round_items(bank, "weekly", round_number, "sales")
