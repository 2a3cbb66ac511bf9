"""Tone markers: politeness lowers tension, blame / impatience / sarcasm / insults raise it."""
import pytest

from analysis.scoring.tone import TONE_KINDS, tone_counts


@pytest.mark.parametrize("kind, text", [
    ("polite", "Could you please send the deck?"),
    ("gratitude", "Thanks so much for the help."),
    ("apology", "Sorry, my mistake on the date."),
    ("hedge", "I think the copy might be a bit long."),
    ("you_blame", "You always change the brief at the last minute."),
    ("you_blame", "Why didn't you call them?"),
    ("impatience", "I'm still waiting for the list."),
    ("impatience", "The link is broken again."),
    ("sarcasm", "Oh great, another rebrand."),
    ("sarcasm", "Thanks for nothing."),
    ("insult", "That plan is stupid."),
    ("profanity", "What a load of crap."),
    ("exasperation", "Seriously, this is getting old."),
    ("direct_question", "So why exactly did you change it?"),
])
def test_tone_marker_found(kind, text):
    assert tone_counts(text)[kind] >= 1


def test_tone_counts_cover_every_kind():
    assert set(tone_counts("")) == set(TONE_KINDS)
    assert all(v == 0 for v in tone_counts("The report is attached.").values())


def test_tone_shouting_ignores_known_acronyms():
    assert tone_counts("The CRM and the MQL SLA are fine.")["shouting"] == 0
    assert tone_counts("SEND THE LIST NOW")["shouting"] == 4


def test_tone_punctuation_runs():
    counts = tone_counts("Where is it?? Now!!")
    assert counts["question_run"] == 1 and counts["exclaim_run"] == 1
