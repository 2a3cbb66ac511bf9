"""Features for the tension model: word n-grams of the text plus a short dense vector built from
VADER, the friction matches and the tone markers.

The same functions serve training (through scikit-learn) and scoring (a plain dot product), so the
two can never drift apart.
"""
import math
import re

from .tone import TONE_KINDS

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[!?]")
#: friction categories that speak of open hostility rather than a work problem
HOT_CATEGORIES = frozenset({"hostility", "blame", "passive_aggressive"})
DENSE_NAMES = (
    ("compound", "pos", "neg", "neu", "friction", "friction_hot", "friction_hedged", "log_words")
    + tuple("tone_" + kind for kind in TONE_KINDS)
)
#: a count above this adds no more evidence (long texts repeat themselves)
COUNT_CAP = 3


def tokenize(text):
    """Lower-case word tokens (keeping contractions) plus `!` and `?` as tokens."""
    return _TOKEN.findall(text.lower().replace("’", "'"))


def text_terms(text):
    """Return the unigrams and bigrams the n-gram part of the model looks at."""
    tokens = tokenize(text)
    return tokens + [a + " " + b for a, b in zip(tokens, tokens[1:])]


def _capped(count):
    """Squash a count so the tenth insult weighs little more than the third."""
    return min(count, COUNT_CAP)


def friction_totals(matches):
    """Return (all, hot-category, hedged) match counts from FrictionMatch objects."""
    plain = [m for m in matches if not m.hedged]
    hot = sum(m.category in HOT_CATEGORIES for m in plain)
    return len(plain), hot, len(matches) - len(plain)


def dense_features(text, sentiment, matches, tone):
    """Return the dense feature vector (in DENSE_NAMES order) for one text."""
    total, hot, hedged = friction_totals(matches)
    words = len(text.split())
    head = [sentiment["compound"], sentiment["pos"], sentiment["neg"], sentiment["neu"],
            _capped(total), _capped(hot), _capped(hedged), math.log1p(words)]
    return head + [_capped(tone[kind]) for kind in TONE_KINDS]
