"""Redaction of message text before anything is kept or logged (DESIGN §3.5).

Removed: e-mail addresses, phone numbers, URLs, @-mentions (plain and Slack's `<@U123>` form) and
any word that is a first, last or full name of someone in the people directory. Redaction errs
towards removing too much: a colleague whose name is also a common word loses that word.
"""
import re

#: Slack's own markup: <@U123|name>, <#C123|channel>, <!here>, <https://…|label>, <mailto:…|…>.
SLACK_MARKUP = re.compile(r"<([@#!])[^>\s]*>|<(?:mailto:)[^>\s]*>|<[a-z][a-z0-9+.-]*:[^>\s]*>", re.I)
URL = re.compile(r"\b(?:https?://|ftp://|www\.)[^\s<>\"']+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*"
                 r"\.(?:com|org|net|io|co|uk|de|fr|eu|app|dev|ai)(?:/[^\s<>\"']*)?", re.I)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
MENTION = re.compile(r"(?<![\w@])@[\w.-]+")
#: A run of digits with the separators phone numbers use; checked for digit count afterwards.
PHONE = re.compile(r"(?<![\w+])(?:\+|00)?[\d(][\d\s().-]{5,22}\d(?![\w])")
DATE_LIKE = re.compile(r"^\d{4}[-./]\d{1,2}[-./]\d{1,2}$|^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$")
WORD = re.compile(r"[^\W\d_][\w'’-]*")
MARKS = {"@": "[mention]", "#": "[channel]", "!": "[mention]"}


def _slack_markup(match):
    return MARKS.get(match.group(1), "[link]") if match.group(1) else "[link]"


def _phone(match):
    text = match.group(0)
    digits = sum(ch.isdigit() for ch in text)
    if 7 <= digits <= 15 and not DATE_LIKE.match(text.strip()):
        return "[phone]"
    return text


def directory_names(full_names):
    """The lowercase words to redact for a list of full names: each part, at least 2 letters."""
    words = set()
    for name in full_names:
        for part in WORD.findall(name or ""):
            # "Jean-Luc" is redacted whole and as "Jean" or "Luc" alone
            words.update(p.lower() for p in [part, *re.split(r"[-'’]", part)] if len(p) >= 2)
    return frozenset(words)


class Redactor:
    """Removes contact details, links, mentions and directory names from text."""

    def __init__(self, names=frozenset()):
        self.names = frozenset(names)

    def redact(self, text):
        """The text with every personal detail replaced by a [placeholder]."""
        text = SLACK_MARKUP.sub(_slack_markup, text)
        text = EMAIL.sub("[email]", text)
        text = URL.sub("[link]", text)
        text = MENTION.sub("[mention]", text)
        text = PHONE.sub(_phone, text)
        return WORD.sub(self._name, text) if self.names else text

    def _name(self, match):
        word = match.group(0)
        base = re.sub(r"['’]s$", "", word).lower()  # "Priya's" is still Priya
        return "[name]" if base in self.names or word.lower() in self.names else word
