"""Text scoring for Tandem: VADER sentiment, friction phrases, tone markers and a tension model."""
