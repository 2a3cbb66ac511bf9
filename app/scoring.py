"""The text scorer as the web app uses it, loaded on first use or when a server worker starts.

Loading the tension model takes a moment; importing it lazily keeps app start-up and the
commands that never score text (migrations, people import) fast. A gunicorn worker loads it
before taking requests instead (`warm_up`, called from gunicorn.conf.py), so the first person
who leaves a comment does not wait for it.
"""
import importlib


def score_comment(text):
    """Sentiment, friction and tension of a survey comment (DESIGN §5 result dict)."""
    scoring = importlib.import_module("analysis.scoring")
    return scoring.score_text(text)


def warm_up():
    """Load the scorer, its model and the VADER lexicon now, by scoring one short text."""
    score_comment("Warming up the scorer.")
