"""Features for the tension model: word n-grams and character n-grams of the text plus a short
dense vector built from VADER, the friction matches and the tone markers.

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


#: words longer than this also give a prefix term ("~anno" for annoying, annoyed, annoyance)
PREFIX_CHARS = 4


def text_terms(text):
    """Return the terms the word part of the model looks at: unigrams, bigrams and word prefixes.

    A prefix term ("~" + the first PREFIX_CHARS letters of a longer word) lets word families and
    rare inflections share evidence, a cheap stand-in for character n-grams (one extra term per
    long word instead of a dozen).
    """
    tokens = tokenize(text)
    return (tokens + [a + " " + b for a, b in zip(tokens, tokens[1:])]
            + ["~" + t[:PREFIX_CHARS] for t in tokens if len(t) > PREFIX_CHARS])


#: character n-gram lengths (inside words, padded with one space at each edge)
CHAR_MIN, CHAR_MAX = 3, 4


def char_terms(text):
    """Return the character 3- and 4-grams of each lower-cased word, padded with a space each side.

    The same n-grams as scikit-learn's `char_wb` analyzer ("junk" gives " ju", "jun", …,
    "unk "), so misspellings, elongations ("sooo") and word pieces ("un-", "-ness") still carry
    evidence.
    """
    out = []
    extend = out.extend
    for word in text.lower().replace("’", "'").split():
        word = " " + word + " "
        size = len(word)
        for n in range(CHAR_MIN, min(CHAR_MAX, size) + 1):
            extend([word[i:i + n] for i in range(size - n + 1)])
    return out


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
