"""The scoring entry point: one text in, the DESIGN §5 dict out.

`Scorer` bundles VADER, the friction matcher, the tone index and the shipped tension model.
`get_scorer()` caches the default one per process; `score_text`/`score_texts` use it.
"""
import functools
import json
import os
import re

from .features import dense_features
from .friction import FrictionMatcher
from .model import TensionModel
from .patterns import PhraseIndex
from .sentiment import sentiment_scores
from .tone import counts_from_kinds, load_tone_patterns

MODEL_PATH = os.path.join(os.path.dirname(__file__), "data", "tension_model.json")
#: longer texts are scored on their first MAX_CHARS characters (VADER slows down on huge input)
MAX_CHARS = 20000
LABELS = ("calm", "tense", "hostile")
#: marks tone sections in the shared phrase index (category names never start with it)
TONE_PREFIX = "~"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TAG = re.compile(r"<[^<>\n]{0,300}>")


class ScoringError(ValueError):
    """A text could not be scored (for example it is not a string)."""


class ModelMissing(RuntimeError):
    """The tension model file is missing or unreadable: run `python -m analysis train`."""


def clean_text(text, max_chars=MAX_CHARS):
    """Blank out control characters and HTML tags without moving any offsets; cap the length."""
    if not isinstance(text, str):
        raise ScoringError(f"text must be a string, not {type(text).__name__}")
    text = text[:max_chars]
    text = _CONTROL.sub(" ", text)
    # same-length blanks keep every reported span valid in the caller's text
    return _TAG.sub(lambda tag: " " * len(tag.group()), text) if "<" in text else text


def load_model_file(path=MODEL_PATH):
    """Read the model JSON; return (TensionModel, thresholds dict, training-set names)."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError) as error:
        raise ModelMissing(f"cannot read tension model {path}: {error}") from error
    return TensionModel.from_dict(data), data["thresholds"], data.get("trained_on", [])


class Scorer:
    """Score texts for sentiment, friction phrases and tension."""

    def __init__(self, model_path=MODEL_PATH, extra_terms=(), max_chars=MAX_CHARS):
        self.model_path = model_path
        self.extra_terms = tuple(extra_terms)
        self.max_chars = max_chars
        self.matcher_ = FrictionMatcher(self.extra_terms)
        # one index over friction and tone phrases: each text is tokenised and scanned once
        tone = {TONE_PREFIX + kind: pats for kind, pats in load_tone_patterns().items()}
        self.index_ = PhraseIndex({**self.matcher_.patterns_, **tone})
        self.model_, self.thresholds_, self.trained_on = load_model_file(model_path)

    def analyse(self, text):
        """Return (clean text, sentiment, friction matches, tone counts, tension)."""
        text = clean_text(text, self.max_chars)
        sentiment = sentiment_scores(text)
        hits = self.index_.scan(text)
        matches = self.matcher_.judge_hits(text, [h for h in hits if h[0][0] != "~"])
        tone = counts_from_kinds(text, [s[1:] for s, _hit in hits if s[0] == "~"])
        if not text.strip():
            return text, sentiment, matches, tone, 0.0  # nothing said, nothing tense
        dense = dense_features(text, sentiment, matches, tone)
        return text, sentiment, matches, tone, self.model_.probability(text, dense)

    def label(self, tension, matches=()):
        """Map a tension score (and any open-hostility match) to calm / tense / hostile."""
        if tension >= self.thresholds_["hostile"]:
            return "hostile"
        if tension >= self.thresholds_["tense"]:
            hot = any(m.category == "hostility" and not m.hedged for m in matches)
            return "hostile" if hot else "tense"
        return "calm"

    def score(self, text, id=None):
        """Score one text; return the contract dict {id, sentiment, friction, tension, label}."""
        _clean, sentiment, matches, _tone, tension = self.analyse(text)
        # report the caller's own characters (cleaning blanked tags and control codes)
        friction = [dict(m.as_dict(), match=text[m.start:m.end]) for m in matches]
        return {"id": id, "sentiment": sentiment, "friction": friction,
                "tension": round(tension, 4), "label": self.label(tension, matches)}

    def sentiment_class(self, result):
        """Return -1 / 0 / 1 for a `score` result: compound bands chosen in training, plus tension."""
        return sentiment_class(result["sentiment"]["compound"], result["tension"],
                               self.thresholds_["sentiment"])


def sentiment_class(compound, tension, bands):
    """Three-way sentiment: negative if compound or tension says so, positive above the band."""
    if compound <= bands["negative"] or tension >= bands["tension_negative"]:
        return -1
    return 1 if compound >= bands["positive"] else 0


@functools.lru_cache(maxsize=1)
def get_scorer():
    """Return the process-wide default Scorer (loaded once)."""
    return Scorer()


def score_text(text, id=None):
    """Score one text with the default scorer (DESIGN §5 dict)."""
    return get_scorer().score(text, id=id)
