"""Text scoring for Tandem: VADER sentiment, friction phrases, tone markers and a tension model.

    from analysis.scoring import score_text, score_texts, Scorer
"""
from .batch import score_records, score_texts
from .scorer import Scorer, ScoringError, get_scorer, score_text

__all__ = ["Scorer", "ScoringError", "get_scorer", "score_records", "score_text", "score_texts"]
