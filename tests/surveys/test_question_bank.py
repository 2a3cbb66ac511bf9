"""The shipped bank's content, lookups, and the loader's validation of bad files."""
import subprocess
import sys
from collections import Counter

import pytest

from surveys.question_bank import (
    BOUNDARY_DEPARTMENTS,
    DRIVER_LABELS,
    DRIVERS,
    NotAskedOfDepartmentError,
    PairedItem,
    QuestionBankError,
    UnknownItemError,
    available_versions,
    load_bank,
    load_bank_file,
)
from surveys.question_bank.loader import BANK_DIR


def test_load_bank_defaults_to_latest_version(bank):
    assert bank.version == max(available_versions()) == 1
    assert load_bank(1) is bank


def test_load_bank_unknown_version_raises():
    with pytest.raises(QuestionBankError, match="version 99"):
        load_bank(99)


def test_bank_has_all_ten_drivers_with_three_items_or_more(bank):
    counts = Counter(item.driver for item in bank.items)
    assert bank.drivers == DRIVERS and set(DRIVER_LABELS) == set(DRIVERS)
    assert all(counts[driver] >= 3 for driver in DRIVERS), counts


def test_bank_items_use_agreement_scale_and_have_distinct_text(bank):
    assert {item.scale for item in bank.items} == {(1, 5)}
    texts = [item.text for item in bank.items]
    assert len(set(texts)) == len(texts)


def test_bank_has_recommend_item_and_comment_prompt(bank):
    assert bank.recommend.scale == (0, 10)
    assert bank.recommend.text.startswith("How likely are you to recommend working on this team")
    assert bank.comment_prompt.strip()


def test_paired_items_have_wording_for_both_sides_about_the_other_team(bank):
    assert len(bank.paired_items) >= 4
    for pair in bank.paired_items:
        assert set(pair.text_for) == set(BOUNDARY_DEPARTMENTS)
        assert "sales" in pair.text_for["marketing"] and "marketing" not in pair.text_for["marketing"]
        assert "marketing" in pair.text_for["sales"] and "sales" not in pair.text_for["sales"]
        assert pair.driver in DRIVERS


def test_ids_are_unique_across_items_pairs_and_recommend(bank):
    ids = [e.id for e in (*bank.items, *bank.paired_items, bank.recommend)]
    assert len(set(ids)) == len(ids)


def test_by_id_finds_each_kind_of_item(bank):
    assert bank.by_id("rc1_know_my_part").driver == "role_clarity"
    assert isinstance(bank.by_id("pair_same_goals"), PairedItem)
    assert bank.by_id(bank.recommend.id) is bank.recommend


def test_by_id_unknown_id_raises_named_error(bank):
    with pytest.raises(UnknownItemError, match="no_such_item"):
        bank.by_id("no_such_item")
    with pytest.raises(UnknownItemError):
        bank.text_for("no_such_item", "sales")


def test_text_for_gives_department_wording_for_paired_items(bank):
    pair = bank.paired_items[0]
    assert bank.text_for(pair.id, "marketing") == pair.text_for["marketing"]
    assert bank.text_for(pair.id, " Sales ") == pair.text_for["sales"]


def test_text_for_plain_item_is_the_same_for_every_department(bank):
    item = bank.items[0]
    assert {bank.text_for(item.id, d) for d in ("marketing", "sales", "finance")} == {item.text}


def test_text_for_paired_item_refuses_partner_departments(bank):
    with pytest.raises(NotAskedOfDepartmentError, match="finance"):
        bank.text_for(bank.paired_items[0].id, "finance")


def test_bank_is_immutable(bank):
    with pytest.raises(AttributeError):
        bank.items[0].text = "changed"
    with pytest.raises(TypeError):
        bank.paired_items[0].text_for["sales"] = "changed"


def test_ids_keep_their_meaning_across_versions():
    seen = {}
    for version in available_versions():
        shipped = load_bank(version)
        for entry in (*shipped.items, *shipped.paired_items, shipped.recommend):
            meaning = (type(entry).__name__, getattr(entry, "driver", None))
            assert seen.setdefault(entry.id, meaning) == meaning, entry.id


def test_load_bank_file_accepts_a_valid_copy(bank_data, write_bank, bank):
    assert load_bank_file(write_bank(bank_data)) == bank


def _drop_items(data, *item_ids):
    data["items"] = [item for item in data["items"] if item["id"] not in item_ids]


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d["items"].append(dict(d["items"][0])), "duplicate id 'rc1_know_my_part'"),
    (lambda d: d["paired_items"][0].update(id="rc1_know_my_part"), "duplicate id"),
    (lambda d: d["items"][0].update(driver="morale"), "unknown driver 'morale'"),
    (lambda d: _drop_items(d, "wl3_requests_realistic", "wl4_time_to_collaborate"),
     "driver 'workload' has 2 items, needs at least 3"),
    (lambda d: d.update(paired_items=d["paired_items"][:3]), "3 paired items, needs at least 4"),
    (lambda d: d["items"][1].update(text="  "), "'rc2_others_know_what_we_own'\\): empty text"),
    (lambda d: d["paired_items"][0]["text_for"].pop("sales"), "no wording for sales"),
    (lambda d: d["items"][0].update(reverse="no"), "'reverse' must be true or false"),
    (lambda d: d["items"][0].update(id="Role Clarity 1"), "must be a lower-case slug"),
    (lambda d: d.update(version="one"), "'version' must be a positive integer"),
    (lambda d: d.pop("recommend"), "'recommend' must be an object"),
    (lambda d: d.update(comment_prompt=""), "'comment_prompt' must be non-empty"),
    (lambda d: d.update(items={}), "must be lists of objects"),
])
def test_load_bank_file_names_the_problem(bank_data, write_bank, mutate, message):
    mutate(bank_data)
    with pytest.raises(QuestionBankError, match=message):
        load_bank_file(write_bank(bank_data))


def test_load_bank_file_lists_every_problem(bank_data, write_bank):
    bank_data["items"][0]["driver"] = "morale"
    bank_data["items"][1]["text"] = ""
    with pytest.raises(QuestionBankError) as caught:
        load_bank_file(write_bank(bank_data))
    assert "unknown driver 'morale'" in str(caught.value) and "empty text" in str(caught.value)


def test_load_bank_file_rejects_bad_json_and_missing_file(tmp_path):
    broken = tmp_path / "bank_v1.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(QuestionBankError, match="not valid JSON"):
        load_bank_file(broken)
    with pytest.raises(QuestionBankError, match="cannot read"):
        load_bank_file(tmp_path / "missing.json")


def test_load_bank_file_rejects_non_object_top_level(write_bank):
    with pytest.raises(QuestionBankError, match="top level"):
        load_bank_file(write_bank([1, 2, 3]))


def test_shipped_bank_files_live_next_to_the_loader():
    assert (BANK_DIR / "bank_v1.json").is_file()


def test_surveys_imports_without_flask_or_sqlalchemy():
    code = ("import sys, surveys.question_bank; "
            "bad = [m for m in ('flask', 'sqlalchemy') if m in sys.modules]; "
            "sys.exit(f'imported {bad}' if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
