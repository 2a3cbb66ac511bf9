"""The signal detector knows every friction category the text scorer can report."""
from pathlib import Path

from analysis.signals.metrics import FRICTION_CATEGORIES

FRICTION_FILES = Path(__file__).resolve().parents[2] / "analysis" / "scoring" / "data" / "friction"


def test_detector_and_scorer_share_the_friction_categories():
    assert set(FRICTION_CATEGORIES) == {p.stem for p in FRICTION_FILES.glob("*.txt")}
