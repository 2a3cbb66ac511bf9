"""Opt-in message samples (DESIGN §3.5): the switch, consent, import, redaction and purge.

Only people with active consent for a source contribute; their text is redacted before it is
kept or logged, and by default only scores are stored. Team-week aggregates live in
`surveys.messages.aggregates` and are joined into the panel by `surveys.rollup`.
"""
from surveys.messages.records import SOURCES, RawMessage

__all__ = ["SOURCES", "RawMessage"]
