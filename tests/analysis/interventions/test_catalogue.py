import json

import pytest

from analysis.interventions import CatalogueError, load_catalogue, validate_catalogue
from analysis.interventions.catalogue import DEFAULT_PATH, SEED_STRATEGIES
from analysis.signals.metrics import DRIVERS, FRICTION_CATEGORIES
from analysis.signals.signal import KINDS


def raw():
    return json.loads(DEFAULT_PATH.read_text())["interventions"]


def test_catalogue_loads_with_enough_entries_and_unique_ids():
    catalogue = load_catalogue()
    ids = [e.id for e in catalogue]
    assert len(catalogue) >= 12 and len(set(ids)) == len(ids)


def test_catalogue_covers_nine_strategies_and_executive_advice():
    covered = {s for e in load_catalogue() for s in e.strategies}
    assert set(SEED_STRATEGIES) <= covered
    assert {"routine_joint_meetings", "written_agreement", "coordinating_group",
            "shared_incentives", "unified_messaging"} <= covered


def test_catalogue_uses_known_kinds_drivers_and_categories():
    for entry in load_catalogue():
        assert set(entry.signal_kinds) <= set(KINDS), entry.id
        assert set(entry.drivers) <= set(DRIVERS), entry.id
        assert set(entry.friction_categories) <= set(FRICTION_CATEGORIES), entry.id
        assert entry.effort in ("low", "medium", "high") and len(entry.steps) >= 2


def test_every_signal_kind_has_an_answer():
    kinds = {k for e in load_catalogue() for k in e.signal_kinds}
    assert kinds == set(KINDS)


@pytest.mark.parametrize("field", ["id", "why", "steps", "measure", "effort"])
def test_validate_catalogue_rejects_missing_field(field):
    entries = raw()
    del entries[0][field]
    with pytest.raises(CatalogueError, match=field):
        validate_catalogue(entries)


def test_validate_catalogue_rejects_duplicate_ids_and_missing_strategy():
    entries = raw()
    entries[1]["id"] = entries[0]["id"]
    with pytest.raises(CatalogueError, match="duplicate id"):
        validate_catalogue(entries)
    only = [e for e in raw() if "complete_crm" not in e["strategies"]]
    with pytest.raises(CatalogueError, match="complete_crm"):
        validate_catalogue(only)
