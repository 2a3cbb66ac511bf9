"""The scorer: contract shape, tension ordering, bad input, batches, sentiment."""
import json

import pytest

from analysis.scoring import Scorer, score_text, score_texts
from analysis.scoring.scorer import ScoringError, clean_text
from analysis.scoring.sentiment import sentiment_scores

HOSTILE = [
    "Your team is useless and these leads are garbage. What the hell were you thinking?",
    "Are you kidding me? You never follow up, you idiots. I'm sick of your excuses.",
    "This is complete bullshit. Stop wasting my time with your pathetic campaigns.",
]
CALM = [
    "Thanks so much for the deck, it looks great. Could we review it on Friday?",
    "Hi Sam, the webinar list is in the shared folder. Let me know if you need anything.",
    "Great work on the launch everyone, the customer feedback has been lovely.",
]
TENSE = "Per my last email, nobody told us about the price change. Still waiting on an answer."


def check_contract(result):
    """Assert a result has exactly the DESIGN §5 shape."""
    assert set(result) == {"id", "sentiment", "friction", "tension", "label"}
    assert set(result["sentiment"]) == {"compound", "pos", "neu", "neg"}
    assert 0.0 <= result["tension"] <= 1.0
    assert result["label"] in ("calm", "tense", "hostile")
    for match in result["friction"]:
        assert set(match) == {"category", "match", "start", "end"}
    json.dumps(result)


def test_score_text_follows_contract():
    result = score_text(TENSE, id="m1")
    check_contract(result)
    assert result["id"] == "m1"
    assert {m["category"] for m in result["friction"]} >= {"passive_aggressive", "communication_gap"}


def test_hostile_text_scores_above_calm_text(scorer):
    hostile = [scorer.score(t)["tension"] for t in HOSTILE]
    calm = [scorer.score(t)["tension"] for t in CALM]
    assert min(hostile) > max(calm)


def test_labels_order_calm_tense_hostile(scorer):
    assert all(scorer.score(t)["label"] == "calm" for t in CALM)
    assert all(scorer.score(t)["label"] == "hostile" for t in HOSTILE)
    assert scorer.score(TENSE)["tension"] > max(scorer.score(t)["tension"] for t in CALM)


def test_politeness_lowers_tension(scorer):
    blunt = scorer.score("Send me the numbers. Why is this late again?")["tension"]
    polite = scorer.score("Could you please send me the numbers when you get a chance? "
                          "Thanks so much!")["tension"]
    assert polite < blunt


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_text_is_calm_and_empty(scorer, text):
    result = scorer.score(text)
    check_contract(result)
    assert result["friction"] == [] and result["tension"] == 0.0 and result["label"] == "calm"


@pytest.mark.parametrize("text", [
    "Junk leads\x00 again\x07, per my last email\x1b[31m",
    "These junk leads 😡😡 again 🙄 #fail",
    "<p>Per my <b>last</b> email, these are <i>junk leads</i>.</p>",
    "Los leads son basura y nadie hizo seguimiento. 営業がフォローしていません。",
    "Ça ne va pas du tout, personne ne m'a prévenu !",
    "\ud800 lone surrogate and junk leads",
])
def test_odd_text_scores_with_valid_spans(scorer, text):
    result = scorer.score(text)
    check_contract(result)
    for match in result["friction"]:
        assert text[match["start"]:match["end"]] == match["match"]


def test_html_tags_do_not_hide_phrases(scorer):
    text = "<p>Per my last email, these are junk leads.</p>"
    found = {m["category"] for m in scorer.score(text)["friction"]}
    assert found == {"passive_aggressive", "lead_quality"}


def test_megabyte_text_is_capped_not_crashing(scorer):
    text = "The leads are fine. " * 52429  # about 1 MB
    result = scorer.score(text)
    check_contract(result)
    assert all(m["end"] <= len(clean_text(text)) for m in result["friction"])


@pytest.mark.parametrize("bad", [None, 42, b"bytes"])
def test_non_string_text_is_a_clear_error(scorer, bad):
    with pytest.raises(ScoringError, match="must be a string"):
        scorer.score(bad)


def test_score_texts_keeps_order_and_survives_bad_items():
    results = list(score_texts(["junk leads", None, "thanks!"], workers=1))
    assert [r["id"] for r in results] == [0, 1, 2]
    assert "error" in results[1]
    assert results[0]["friction"][0]["category"] == "lead_quality"


def test_score_texts_parallel_matches_serial(scorer):
    texts = [HOSTILE[i % 3] if i % 2 else CALM[i % 3] for i in range(2400)]
    serial = list(score_texts(texts, scorer=scorer, workers=1))
    parallel = list(score_texts(texts, scorer=scorer, workers=2))
    assert parallel == serial


def test_score_texts_is_lazy():
    results = score_texts(iter(["junk leads"] * 10), workers=1)
    assert next(results)["friction"]


def test_sentiment_is_plain_vader():
    scores = sentiment_scores("The launch went great, thank you!")
    assert scores["compound"] > 0.5 and scores["neg"] == 0.0


def test_sentiment_class_uses_bands(scorer):
    assert scorer.sentiment_class(scorer.score("I love this, wonderful work!")) == 1
    assert scorer.sentiment_class(scorer.score("This is awful, I hate it.")) == -1
    assert scorer.sentiment_class(scorer.score("The meeting is at 3pm.")) == 0


def test_scorer_with_extra_terms(tmp_path):
    extra = tmp_path / "terms.txt"
    extra.write_text("[lead_quality]\nzombie leads\n", encoding="utf-8")
    result = Scorer(extra_terms=[extra]).score("More zombie leads from the expo.")
    assert result["friction"][0]["category"] == "lead_quality"
