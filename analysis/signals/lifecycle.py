"""Signal lifecycle: is this week's detection new, escalating, easing, continuing or resolved?

Signals are matched by their stable key (kind + teams + metric), so a continuing problem stays
one signal whose severity moves. A stored open signal that is absent from this week's detections
has its `quiet_weeks` counted and resolves after `resolve_weeks` (default 2) such weeks; a
detection marked status "resolved" (the detector already saw two normal weeks) resolves at once.
"""
from dataclasses import asdict, dataclass, field, is_dataclass

from analysis.signals.signal import SEVERITIES, signal_key


@dataclass
class LifecycleUpdate:
    """This week's signals sorted by what happened to them; each item is a plain dict."""

    new: list[dict] = field(default_factory=list)
    escalating: list[dict] = field(default_factory=list)
    easing: list[dict] = field(default_factory=list)
    continuing: list[dict] = field(default_factory=list)
    resolved: list[dict] = field(default_factory=list)

    def still_open(self) -> list[dict]:
        """The signals to store as open for next week."""
        return self.new + self.escalating + self.easing + self.continuing


def _as_dict(item) -> dict:
    """A Signal dataclass or dict as a fresh dict carrying its key."""
    data = asdict(item) if is_dataclass(item) else dict(item)
    data.setdefault("key", signal_key(data["kind"], data["teams"], data["metric"]))
    return data


def update_lifecycle(previous, detections, resolve_weeks=2, change_step=0.2) -> LifecycleUpdate:
    """Compare stored open signals with this week's detections (pure; inputs are not changed)."""
    stored = {d["key"]: d for d in map(_as_dict, previous)}
    update, seen = LifecycleUpdate(), set()
    for item in map(_as_dict, detections):
        seen.add(item["key"])
        _place(update, stored.get(item["key"]), item, change_step)
    for key, old in stored.items():
        if key not in seen:
            _quiet(update, old, resolve_weeks)
    return update


def _place(update, old, item, change_step):
    """File one detection against its stored counterpart (if any)."""
    if item.get("status") == "resolved":
        if old is not None:
            update.resolved.append({**item, "first_week": old.get("first_week", item["first_week"])})
        return
    if old is None:
        update.new.append({**item, "quiet_weeks": 0})
        return
    merged = {**item, "first_week": old.get("first_week", item["first_week"]), "quiet_weeks": 0,
              "previous_severity": old.get("severity")}
    getattr(update, _trend(old, item, change_step)).append(merged)


def _trend(old, item, change_step) -> str:
    """'escalating', 'easing' or 'continuing' from severity, then from the size of the change."""
    before, now = SEVERITIES.index(old["severity"]), SEVERITIES.index(item["severity"])
    if now != before:
        return "escalating" if now > before else "easing"
    delta = _size(item) - _size(old)
    if abs(delta) >= change_step:
        return "escalating" if delta > 0 else "easing"
    return "continuing"


def _size(signal) -> float:
    """How big a signal is, in sd of answers, when its evidence says so (else 0)."""
    return float((signal.get("evidence") or {}).get("change_in_sd", 0.0) or 0.0)


def _quiet(update, old, resolve_weeks):
    """A stored signal not detected this week: count the quiet week, resolve after enough."""
    quiet = int(old.get("quiet_weeks", 0)) + 1
    target = update.resolved if quiet >= resolve_weeks else update.continuing
    target.append({**old, "quiet_weeks": quiet})
