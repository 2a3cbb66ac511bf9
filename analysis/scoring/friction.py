"""Friction categories: find marketing–sales friction phrases and return their spans.

The word lists live in `data/friction/<category>.txt` (see `patterns.py` for the syntax). A match is
dropped when a negation shortly precedes it in the same clause ("the leads weren't junk"), or when
it sits inside quotation marks or a quoted e-mail line (a mention, not a use). A hedge before a
match ("maybe the leads are a bit off") keeps it but marks it `hedged`, which the tension model
weighs less.
"""
import os
import re
from typing import NamedTuple

from .patterns import NEGATION, PhraseIndex, group_by_section, read_pattern_lines

FRICTION_DIR = os.path.join(os.path.dirname(__file__), "data", "friction")
#: how far back (in words) a negation or hedge can reach within its clause
WINDOW_WORDS = 3
_CLAUSE_BREAK = re.compile(r"[.;:!?\n]|,|\b(?:but|however|although|though|yet|whereas)\b", re.I)
_NEGATION = re.compile(NEGATION, re.I)
_HEDGE = re.compile(
    r"\b(?:maybe|perhaps|possibly|probably|might|may|could|seems?|somewhat|a bit|a little|"
    r"kind of|sort of|slightly|i think|i guess|i wonder|not sure|wondering)\b", re.I)
_QUOTED = re.compile(
    r"\"[^\"\n]{1,300}\"|“[^”\n]{1,300}”|‘[^’\n]{1,300}’|(?<!\w)'[^'\n]{1,300}'(?!\w)|^[ \t]*>.*$",
    re.M)
_MAY_QUOTE = re.compile(r"[\"“‘']|^[ \t]*>", re.M)


class FrictionMatch(NamedTuple):
    """One friction phrase found in a text; start/end index the original text."""

    category: str
    match: str
    start: int
    end: int
    hedged: bool = False

    def as_dict(self):
        """Return the contract form {category, match, start, end} (DESIGN §5)."""
        return {"category": self.category, "match": self.match,
                "start": self.start, "end": self.end}


def builtin_pattern_pairs(directory=FRICTION_DIR):
    """Yield (category, pattern) from the shipped one-file-per-category word lists."""
    for name in sorted(os.listdir(directory)):
        if name.endswith(".txt"):
            yield from read_pattern_lines(os.path.join(directory, name), name[:-4])


def load_friction_patterns(extra_paths=(), directory=FRICTION_DIR):
    """Return {category: [pattern, …]}, merging optional `[category]`-sectioned extra files."""
    pairs = list(builtin_pattern_pairs(directory))
    for path in extra_paths:
        pairs.extend(read_pattern_lines(path))
    return group_by_section(pairs)


def clause_before(text, start, max_chars=80):
    """Return the words of the clause that ends at `start`, at most WINDOW_WORDS of them."""
    window = text[max(0, start - max_chars):start]
    pieces = _CLAUSE_BREAK.split(window)
    return " ".join(pieces[-1].split()[-WINDOW_WORDS:])


def quoted_spans(text):
    """Return (start, end) spans of quoted passages and quoted e-mail lines."""
    return [match.span() for match in _QUOTED.finditer(text)]


def _inside(spans, start, end):
    """True when [start, end) lies within one of the spans."""
    return any(s <= start and end <= e for s, e in spans)


class FrictionMatcher:
    """Find friction phrases by category; `extra_paths` adds an organisation's own term files."""

    def __init__(self, extra_paths=(), directory=FRICTION_DIR):
        self.extra_paths = tuple(extra_paths)
        self.directory = directory
        self.patterns_ = load_friction_patterns(self.extra_paths, directory)
        self.categories_ = sorted(self.patterns_)
        self.index_ = PhraseIndex(self.patterns_)

    @property
    def categories(self):
        """The category names this matcher knows, sorted."""
        return list(self.categories_)

    def find(self, text):
        """Return the FrictionMatch list for `text`, ordered by position."""
        return self.judge_hits(text, self.index_.scan(text))

    def judge_hits(self, text, hits):
        """Keep the (category, regex match) hits that are neither negated nor quoted."""
        if not hits:
            return []
        quotes = quoted_spans(text) if _MAY_QUOTE.search(text) else []
        found = (self._judge(text, category, hit, quotes) for category, hit in hits)
        return sorted((m for m in found if m), key=lambda m: (m.start, m.category))

    @staticmethod
    def _judge(text, category, hit, quotes):
        """Turn a regex hit into a FrictionMatch, or None when negated or quoted."""
        start, end = hit.span()
        if quotes and _inside(quotes, start, end):
            return None
        before = clause_before(text, start)
        if _NEGATION.search(before):
            return None
        return FrictionMatch(category, hit.group(), start, end, bool(_HEDGE.search(before)))
