"""A tiny, reviewable pattern language for word lists kept as commented text files.

One pattern a line; `#` starts a comment. In a pattern:
  spaces     match any run of whitespace or hyphens ("follow up" = "follow-up" = "follow  up")
  (a|b|)     alternatives; an empty one makes the group optional
  word*      any word starting with "word"
  ~          a gap of up to four words, none of them a negation ("leads ~ junk")
  '          an optional apostrophe, straight or curly ("didn't" = "didnt" = "didn’t")
  ,          an optional comma
Matching ignores case and only matches whole words. A line `[name]` starts a section: in a
combined file (such as an organisation's extra-terms file) it names the category of the lines below.
"""
import re

NEGATION_WORDS = (
    "not|no|never|nor|none|nobody|nothing|neither|hardly|barely|without|cannot|"
    "dont|didnt|doesnt|isnt|wasnt|werent|arent|cant|wont|couldnt|shouldnt|wouldnt|"
    "havent|hasnt|hadnt|aint"
)
#: a word that negates what follows: the list above or anything ending in n't
NEGATION = rf"(?:(?:{NEGATION_WORDS})\b|[\w]*n['’]t\b)"
_SEPARATOR = r"[\s\-]+"
_GAP = rf"(?:(?!{NEGATION})[\w'’]+[\s,\-]+){{0,4}}"
_SECTION = re.compile(r"^\[([a-z0-9_]+)\]$")
_WORD = re.compile(r"[\w'’]+")


class PatternError(ValueError):
    """A word-list file holds a line that is not a valid pattern."""


def _translate_char(char):
    """Translate one pattern character into regular-expression text."""
    special = {"(": "(?:", ")": ")", "|": "|", "*": r"[\w'’]*", "'": "['’]?", ",": ",?"}
    if char in special:
        return special[char]
    return char if char.isalnum() else re.escape(char)


def pattern_to_regex(pattern):
    """Return the regular-expression source for one line of the pattern language."""
    pattern = re.sub(r"\s*~\s*", "~", pattern.strip().lower())
    parts = []
    for char in pattern:
        if char == "~":
            parts.append(_SEPARATOR + _GAP)
        elif char.isspace():
            parts.append(_SEPARATOR)
        else:
            parts.append(_translate_char(char))
    # boundaries are lookarounds so patterns may begin or end with punctuation
    return r"(?<![\w'’])(?:" + "".join(parts) + r")(?![\w'’])"


def read_pattern_lines(path, default_section=None):
    """Yield (section, pattern) pairs from a commented pattern file."""
    section = default_section
    with open(path, encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            header = _SECTION.match(line)
            if header:
                section = header.group(1)
            elif section is None:
                raise PatternError(f"{path}:{number}: pattern before any [section] header")
            else:
                yield section, line


def group_by_section(pairs):
    """Return {section: [pattern, …]} from (section, pattern) pairs, keeping first-seen order."""
    grouped = {}
    for section, pattern in pairs:
        grouped.setdefault(section, []).append(pattern)
    return grouped


def _split_alternatives(body):
    """Split the inside of a (a|b|c) group on its top-level bars."""
    parts, depth, current = [], 0, ""
    for char in body:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "|" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return parts + [current]


def _closing_paren(pattern):
    """Index of the parenthesis closing the group that opens `pattern`."""
    depth = 0
    for index, char in enumerate(pattern):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return index
    raise PatternError(f"unbalanced parentheses in {pattern!r}")


def leading_words(pattern, k=2):
    """Yield tuples of the first k words a match can start with (shorter after `~` or `word*`)."""
    pattern = pattern.lstrip().lower()
    if k == 0 or not pattern or pattern[0] == "~":
        yield ()
    elif pattern[0] == "(":
        close = _closing_paren(pattern)
        for alternative in _split_alternatives(pattern[1:close]):
            yield from leading_words(alternative + pattern[close + 1:], k)
    else:
        word = re.match(r"[^\s(~]*", pattern).group()
        rest = pattern[len(word):]
        if word.endswith("*") or rest.startswith("("):  # the word goes on: only a prefix is known
            yield (normalise_word(word.rstrip("*")) + "*",)
        else:
            yield from ((normalise_word(word),) + tail for tail in leading_words(rest, k - 1))


def first_words(pattern):
    """Return the set of words a match of `pattern` can begin with ("word*" marks a prefix)."""
    return {words[0] for words in leading_words(pattern, 1) if words}


def normalise_word(word):
    """Lower-case a word and drop apostrophes and punctuation, keeping a trailing `*`."""
    star = "*" if word.endswith("*") else ""
    return re.sub(r"[^\w]", "", word.lower()) + star


class PhraseIndex:
    """Patterns indexed by the words they can start with, so a scan tries only likely regexes."""

    def __init__(self, patterns_by_category):
        self.exact_, self.prefixes_ = {}, {}
        for category, patterns in patterns_by_category.items():
            for pattern in patterns:
                regex = re.compile(pattern_to_regex(pattern), re.IGNORECASE)
                for first, seconds in _second_words(pattern).items():
                    self._add(first, (seconds, category, regex))

    def _add(self, word, entry):
        """Register one start word (or `prefix*`) for a (next words, category, regex) entry."""
        if word.endswith("*"):
            # keyed by the first three letters so a lookup stays one dict probe
            self.prefixes_.setdefault(word[:3], []).append((word[:-1], entry))
        else:
            self.exact_.setdefault(word, []).append(entry)

    def entries_at(self, word):
        """Return the (category, regex) entries whose patterns may start with this word."""
        found = self.exact_.get(word, ())
        prefixed = self.prefixes_.get(word[:3])
        if prefixed:
            found = list(found) + [entry for prefix, entry in prefixed if word.startswith(prefix)]
        return found

    def scan(self, text):
        """Return [(section, regex match)]: every non-overlapping match per section in `text`."""
        lowered = text.lower()
        if len(lowered) != len(text):
            lowered = text  # a few characters change length when lower-cased; keep offsets true
        tokens = [(m.start(), m.group().replace("'", "").replace("’", ""))
                  for m in _WORD.finditer(lowered)]
        tokens.append((len(text), ""))
        busy_until, hits = {}, []
        for (start, word), (_next_start, next_word) in zip(tokens, tokens[1:]):
            for seconds, section, regex in self.entries_at(word):
                # cheap checks first: the next word must fit, and no overlap within a section
                if (seconds is None or next_word in seconds) and start >= busy_until.get(section, 0):
                    hit = regex.match(text, start)
                    if hit:
                        busy_until[section] = hit.end()
                        hits.append((section, hit))
        return hits


def _second_words(pattern):
    """Map each possible first word to the set of possible second words (None: any word)."""
    seconds = {}
    for words in leading_words(pattern, 2):
        if not words:
            continue
        known = len(words) == 2 and not words[1].endswith("*")
        if words[0] in seconds and seconds[words[0]] is None:
            continue
        seconds[words[0]] = (seconds.get(words[0]) or set()) | {words[1]} if known else None
    return seconds
