"""Detecting tension signals from the panel and keeping them, one record per episode."""
from dataclasses import dataclass

from sqlalchemy import select

from analysis.signals.detect import detect_signals
from analysis.signals.params import DetectionParams
from analysis.signals.signal import SEVERITIES
from surveys.db import immediate_transaction
from surveys.models import SignalState, StoredSignal
from surveys.rollup import refresh_panel, stored_panel


@dataclass
class DetectionReport:
    """What one detection run changed."""

    new: int = 0
    escalating: int = 0
    easing: int = 0
    continuing: int = 0
    resolved: int = 0
    unchanged: int = 0  #: open signals with no newer week since the last run

    def __str__(self):
        return (f"{self.new} new, {self.escalating} escalating, {self.easing} easing, "
                f"{self.continuing} continuing, {self.resolved} resolved signal(s); "
                f"{self.unchanged} open unchanged since the last run")


def detect_and_store(session, now, min_group, message_min=None):
    """Refresh the panel, run detection over its whole history, and update the stored signals."""
    refresh_panel(session, min_group, message_min, now)
    panel = stored_panel(session)
    report = DetectionReport()
    if not panel.teams:
        return report
    detections = detect_signals(panel, DetectionParams(min_group=min_group))
    with immediate_transaction(session):
        stored = {(s.key, s.first_week): s for s in session.scalars(select(StoredSignal))}
        for detection in detections:
            _store(session, stored.get((detection.key, detection.first_week)), detection, now, report)
    return report


def _store(session, stored, detection, now, report):
    if stored is None:
        session.add(_new_signal(detection, now))
        report.resolved += detection.status == "resolved"
        report.new += detection.status != "resolved"
        return
    if stored.state == SignalState.RESOLVED:
        return  # a past episode
    if stored.week == detection.week:
        report.unchanged += 1  # nothing new since the last run: said, so a rerun is not "no signals"
        return
    trend = _trend(stored.severity, detection.severity)
    if trend != "continuing":
        stored.changed_at = now
    stored.trend = trend
    _copy_detection(stored, detection, now)
    if detection.status == "resolved":
        stored.state, stored.resolved_week = SignalState.RESOLVED, detection.week
        stored.changed_at = now
        report.resolved += 1
    else:
        setattr(report, stored.trend, getattr(report, stored.trend) + 1)


def _new_signal(detection, now):
    signal = StoredSignal(key=detection.key, kind=detection.kind, teams=list(detection.teams),
                          metric=detection.metric, first_week=detection.first_week,
                          trend="new", first_seen_at=now, changed_at=now)
    _copy_detection(signal, detection, now)
    if detection.status == "resolved":
        signal.state, signal.resolved_week = SignalState.RESOLVED, detection.week
    return signal


def _copy_detection(signal, detection, now):
    signal.week, signal.severity = detection.week, detection.severity
    signal.confidence, signal.evidence = detection.confidence, dict(detection.evidence)
    signal.interventions, signal.last_seen_at = list(detection.interventions), now


def _trend(before, after):
    change = SEVERITIES.index(after) - SEVERITIES.index(before)
    return "escalating" if change > 0 else "easing" if change < 0 else "continuing"


def open_signals(session, team_slugs=None):
    """Signals not yet resolved, most severe first; limited to `team_slugs` when given."""
    signals = session.scalars(select(StoredSignal).where(
        StoredSignal.state != SignalState.RESOLVED)).all()
    if team_slugs is not None:
        wanted = set(team_slugs)  # once, not once per signal (an admin's are every team)
        signals = [s for s in signals if not wanted.isdisjoint(s.teams)]
    return sorted(signals, key=lambda s: (-SEVERITIES.index(s.severity), -s.confidence))


def acknowledge_signal(session, signal):
    """Mark an open signal as seen by its manager (it stays until the data says it resolved)."""
    with immediate_transaction(session):
        if signal.state == SignalState.OPEN:
            signal.state = SignalState.ACKNOWLEDGED
