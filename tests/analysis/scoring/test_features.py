"""Character n-grams match scikit-learn's `char_wb` analyzer; the character block exports exactly."""
import json

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from analysis.scoring.features import CHAR_MAX, CHAR_MIN, DENSE_NAMES, char_terms, text_terms
from analysis.scoring.model import TensionModel, design_matrix
from analysis.scoring.training import read_corpora


@pytest.mark.parametrize("text", ["Why didn't   you CALL them?!", "a", "ok so this is x",
                                  "junk leads again!!!", "", "Ünïcode naïve café"])
def test_char_terms_match_sklearn_char_wb(text):
    analyzer = TfidfVectorizer(analyzer="char_wb",
                               ngram_range=(CHAR_MIN, CHAR_MAX)).build_analyzer()
    assert sorted(char_terms(text)) == sorted(analyzer(text))


def test_char_terms_fold_curly_apostrophes():
    assert char_terms("didn’t") == char_terms("didn't")


def test_model_with_character_block_matches_pipeline():
    texts = ["thanks for the deck", "junk leads again", "please send the list",
             "why didn't you call", "great work team", "nobody told us",
             "could you share the notes", "you never follow up"]
    labels = np.array([0, 1, 0, 1, 0, 1, 0, 1])
    dense = [[len(t) / 10.0, t.count("you")] + [0.0] * (len(DENSE_NAMES) - 2) for t in texts]
    model = TensionModel(min_df=1, char_min_df=1, char_max_features=500).fit(texts, dense, labels)
    expected = model.pipeline_.predict_proba(design_matrix(texts, dense))[:, 1]
    reloaded = TensionModel.from_dict(json.loads(json.dumps(model.to_dict({"thresholds": {}}))))
    assert reloaded.chars_
    got = [reloaded.probability(t, d) for t, d in zip(texts, dense)]
    assert np.allclose(got, expected, atol=1e-4)


def test_text_terms_add_prefixes_of_longer_words():
    terms = text_terms("annoying annoyed day")
    assert terms.count("~anno") == 2 and "~day" not in terms and "annoying annoyed" in terms


def test_project_corpus_files_parse_with_known_labels():
    rows, weights = read_corpora()
    assert len(rows) == len(weights) > 250
    assert {r["friction"] for r in rows} == {0, 1} and set(weights) == {10.0, 5.0}
