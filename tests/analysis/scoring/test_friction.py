"""Friction phrases: categories, negation, hedging, quotation, spans, extra terms."""
import pytest

from analysis.scoring.friction import FrictionMatcher
from analysis.scoring.patterns import PatternError, first_words, read_pattern_lines

from .messages import CALM, FLAGGED, NOT_FLAGGED_TRICKY

REQUIRED = {"lead_quality", "follow_up", "role_confusion", "blame", "credit", "communication_gap",
            "information_access", "competition", "passive_aggressive", "hostility", "overload"}
FLAGGED_CASES = [(cat, text) for cat, texts in FLAGGED.items() for text in texts]
TRICKY = [text for texts in NOT_FLAGGED_TRICKY.values() for text in texts]


def categories(matcher, text):
    """The set of categories found in text."""
    return {m.category for m in matcher.find(text)}


def test_matcher_knows_required_categories(matcher):
    assert REQUIRED <= set(matcher.categories)


def test_every_category_has_five_test_messages(matcher):
    assert all(len(FLAGGED.get(cat, [])) >= 5 for cat in matcher.categories)


@pytest.mark.parametrize("category, text", FLAGGED_CASES)
def test_friction_message_flagged_with_its_category(matcher, category, text):
    assert category in categories(matcher, text)


@pytest.mark.parametrize("text", CALM)
def test_calm_message_not_flagged(matcher, text):
    assert matcher.find(text) == []


@pytest.mark.parametrize("text", TRICKY)
def test_negated_or_quoted_phrase_not_flagged(matcher, text):
    assert matcher.find(text) == []


def test_friction_span_points_into_original_text(matcher):
    text = "Hi all. Sales NEVER followed up on those leads!"
    [match] = matcher.find(text)
    assert text[match.start:match.end] == match.match == "NEVER followed up"
    assert match.as_dict() == {"category": "follow_up", "match": "NEVER followed up",
                               "start": 14, "end": 31}


def test_friction_negation_inside_gap_blocks_match(matcher):
    assert matcher.find("The leads from the webinar were not junk.") == []
    assert categories(matcher, "The leads from the webinar were junk.") == {"lead_quality"}


def test_friction_negation_in_earlier_clause_does_not_block(matcher):
    found = categories(matcher, "It's not about the budget, but these are junk leads.")
    assert found == {"lead_quality"}


def test_friction_hedged_match_kept_and_marked(matcher):
    [match] = matcher.find("Maybe these are junk leads, I'm not sure.")
    assert match.category == "lead_quality" and match.hedged
    [plain] = matcher.find("These are junk leads.")
    assert not plain.hedged


def test_friction_apostrophe_variants_match(matcher):
    for text in ("That's not my job.", "Thats not my job.", "That’s not my job."):
        assert categories(matcher, text) == {"role_confusion"}


def test_friction_extra_terms_file_merges(tmp_path):
    extra = tmp_path / "acme.txt"
    extra.write_text("# Acme's own words\n[lead_quality]\nzombie leads\n[tooling]\nsalesforce is down\n",
                     encoding="utf-8")
    matcher = FrictionMatcher(extra_paths=[extra])
    assert categories(matcher, "More zombie leads today.") == {"lead_quality"}
    assert categories(matcher, "Salesforce is down again") == {"tooling"}
    assert categories(matcher, "junk leads") == {"lead_quality"}


def test_extra_terms_without_section_is_an_error(tmp_path):
    extra = tmp_path / "bad.txt"
    extra.write_text("zombie leads\n", encoding="utf-8")
    with pytest.raises(PatternError, match="bad.txt:1"):
        list(read_pattern_lines(extra))


def test_first_words_follow_optional_groups():
    assert first_words("(just |)(circling|circle) back") == {"just", "circling", "circle"}
    assert first_words("scapegoat*") == {"scapegoat*"}
