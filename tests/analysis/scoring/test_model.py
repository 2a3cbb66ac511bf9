"""The JSON-exported tension model reproduces the fitted scikit-learn pipeline."""
import json

import numpy as np

from analysis.scoring.model import TensionModel, design_matrix
from analysis.scoring.scorer import get_scorer

TEXTS = ["thanks for the deck", "junk leads again", "please send the list", "why didn't you call",
         "great work team", "nobody told us", "could you share the notes", "you never follow up"]
LABELS = np.array([0, 1, 0, 1, 0, 1, 0, 1])


def dense_rows(texts):
    """Simple stand-in dense rows of the right width."""
    width = len(get_scorer().model_.dense_mean_)
    return [[len(t) / 10.0, t.count("you")] + [0.0] * (width - 2) for t in texts]


def test_exported_model_matches_pipeline_probabilities():
    dense = dense_rows(TEXTS)
    model = TensionModel(min_df=1).fit(TEXTS, dense, LABELS)
    expected = model.pipeline_.predict_proba(design_matrix(TEXTS, dense))[:, 1]
    reloaded = TensionModel.from_dict(json.loads(json.dumps(model.to_dict({"thresholds": {}}))))
    got = [reloaded.probability(t, d) for t, d in zip(TEXTS, dense)]
    assert np.allclose(got, expected, atol=1e-4)


def test_prior_shifts_log_odds_by_its_weight():
    dense = dense_rows(TEXTS)
    plain = TensionModel(min_df=1).fit(TEXTS, dense, LABELS)
    nudged = TensionModel(min_df=1, prior={"compound": 0.5}).fit(TEXTS, dense, LABELS)
    row = list(dense[0])
    row[0] = 2.0  # compound is the first dense feature
    assert abs(nudged.decision(TEXTS[0], row) - plain.decision(TEXTS[0], row) - 1.0) < 1e-9
