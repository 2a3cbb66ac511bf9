"""Employee Net Promoter Score from the 0–10 recommend item."""

PROMOTER_MIN = 9
PASSIVE_MIN = 7


def _check_score(score):
    if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= 10:
        raise ValueError(f"a recommend score is a whole number from 0 to 10, not {score!r}")


def enps_band(score):
    """'promoter' for 9–10, 'passive' for 7–8, 'detractor' for 0–6."""
    _check_score(score)
    if score >= PROMOTER_MIN:
        return "promoter"
    if score >= PASSIVE_MIN:
        return "passive"
    return "detractor"


def enps(scores):
    """Percent promoters minus percent detractors, from -100 to 100; ValueError when empty."""
    bands = [enps_band(score) for score in scores]
    if not bands:
        raise ValueError("eNPS needs at least one score")
    net = bands.count("promoter") - bands.count("detractor")
    return 100.0 * net / len(bands)
