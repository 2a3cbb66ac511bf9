"""The text scorer as the web app uses it, loaded on first use.

Loading the tension model takes a moment; importing it lazily keeps app start-up and the
commands that never score text (migrations, people import) fast.
"""
import importlib


def score_comment(text):
    """Sentiment, friction and tension of a survey comment (DESIGN §5 result dict)."""
    scoring = importlib.import_module("analysis.scoring")
    return scoring.score_text(text)
