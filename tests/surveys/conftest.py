"""Fixtures for the domain tests: the question bank, editable copies of its file, an open round."""
import copy
import json

import pytest

from surveys.question_bank import load_bank
from surveys.question_bank.loader import BANK_DIR
from tests.conftest import NOW


@pytest.fixture(scope="session")
def bank():
    """The latest shipped question bank (immutable, so one per session is safe)."""
    return load_bank()


@pytest.fixture
def bank_data():
    """A fresh, mutable copy of bank_v1.json's content."""
    with open(BANK_DIR / "bank_v1.json", encoding="utf-8") as handle:
        return copy.deepcopy(json.load(handle))


@pytest.fixture
def write_bank(tmp_path):
    """Write bank data to a temporary bank file and return its path."""
    def write(data, name="bank_v1.json"):
        path = tmp_path / name
        path.write_text(json.dumps(data), encoding="utf-8")
        return path
    return write


@pytest.fixture
def open_round(factory):
    """An open weekly round for a six-person marketing team, everyone invited."""
    teams = factory.people({"growth": ("marketing", 6)})
    [survey_round] = factory.open_round(teams.values(), NOW)
    return survey_round
