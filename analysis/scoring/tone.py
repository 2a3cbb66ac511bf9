"""Tone markers: politeness lowers tension; blame, impatience, sarcasm and insults raise it.

The phrase lists are in `data/tone.txt`. Besides phrases we count a few typographic cues that
raters read as heat: runs of `!`/`?` and words in capitals.
"""
import functools
import os
import re

from .patterns import PhraseIndex, group_by_section, read_pattern_lines

TONE_FILE = os.path.join(os.path.dirname(__file__), "data", "tone.txt")
#: the tone kinds, in the fixed order the model's feature vector uses
PHRASE_KINDS = ("polite", "gratitude", "apology", "hedge", "greeting", "you_blame",
                "impatience", "sarcasm", "exasperation", "direct_question", "insult", "profanity")
TYPO_KINDS = ("shouting", "exclaim_run", "question_run")
TONE_KINDS = PHRASE_KINDS + TYPO_KINDS
_SHOUTING = re.compile(r"\b[A-Z]{3,}\b")
_EXCLAIM = re.compile(r"!{2,}|\?!|!\?")
_QUESTIONS = re.compile(r"\?{2,}")
#: acronyms common in sales and marketing mail that are not shouting
_ACRONYMS = frozenset("CRM MQL MQLS SQL SQLS ROI KPI KPIS SLA CEO CFO CTO CMO CRO VP ICP ABM SEO "
                      "SEM PPC CTA B2B SAAS API PDF FAQ ASAP EOD EOW USA EMEA APAC QBR ARR MRR "
                      "ACV ACME GTM PR HR IT NPS".split())


def load_tone_patterns(path=TONE_FILE):
    """Return {kind: [pattern, …]} from the sectioned tone file."""
    return group_by_section(read_pattern_lines(path))


@functools.lru_cache(maxsize=4)
def load_tone_index(path=TONE_FILE):
    """Return the PhraseIndex of tone phrases (cached)."""
    return PhraseIndex(load_tone_patterns(path))


def find_tone_markers(text, index=None):
    """Return [(kind, match, start, end), …] for the tone phrases in `text`."""
    index = index or load_tone_index()
    return [(kind, hit.group(), hit.start(), hit.end()) for kind, hit in index.scan(text)]


def tone_counts(text, index=None):
    """Return {kind: count} for every kind in TONE_KINDS (zeros included)."""
    return counts_from_kinds(text, (kind for kind, *_rest in find_tone_markers(text, index)))


def counts_from_kinds(text, kinds):
    """Return the tone counts given the phrase kinds already found in `text`."""
    counts = dict.fromkeys(TONE_KINDS, 0)
    for kind in kinds:
        counts[kind] += 1
    counts["shouting"] = sum(w not in _ACRONYMS for w in _SHOUTING.findall(text))
    counts["exclaim_run"] = len(_EXCLAIM.findall(text))
    counts["question_run"] = len(_QUESTIONS.findall(text))
    return counts
