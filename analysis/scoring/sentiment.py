"""VADER sentiment from NLTK, loaded offline from the lexicon the `vaderSentiment` package ships.

NLTK's default lexicon location needs its downloader, and NLTK 3.10 refuses a bare file path, so
we add the installed package's folder to `nltk.data.path` and name the file with a `file:` URL.
"""
import functools
import os


LEXICON_NAME = "vader_lexicon.txt"


class LexiconMissing(RuntimeError):
    """The VADER lexicon could not be found in the installed `vaderSentiment` package."""


def lexicon_path():
    """Return the absolute path of the VADER lexicon shipped by the `vaderSentiment` package."""
    try:
        import vaderSentiment
    except ImportError as error:  # a clear message beats NLTK's "resource not found"
        raise LexiconMissing("install vaderSentiment==3.3.2 (see requirements.txt)") from error
    path = os.path.join(os.path.dirname(vaderSentiment.__file__), LEXICON_NAME)
    if not os.path.isfile(path):
        raise LexiconMissing(f"VADER lexicon not found at {path}")
    return path


@functools.lru_cache(maxsize=1)
def load_analyzer():
    """Return a process-wide NLTK VADER analyzer built from the packaged lexicon (cached)."""
    # NLTK is imported here, when the analyzer is first built: importing it with the module
    # cost every process that loads the web app its import time, scoring or not.
    import nltk.data
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

    path = lexicon_path()
    folder = os.path.dirname(path)
    if folder not in nltk.data.path:
        nltk.data.path.append(folder)  # NLTK only opens file: URLs under a known data folder
    return SentimentIntensityAnalyzer(lexicon_file="file:" + path)


def sentiment_scores(text):
    """Return VADER's {compound, pos, neu, neg} for one text, unchanged from NLTK."""
    scores = load_analyzer().polarity_scores(text)
    return {key: scores[key] for key in ("compound", "pos", "neu", "neg")}
