from analysis.signals.lifecycle import update_lifecycle
from analysis.signals.signal import Signal


def sig(severity="medium", change=0.7, status="open", week="2026-W10", first="2026-W08"):
    return Signal("decline", ["growth"], "role_clarity", week, first, severity, 0.95,
                  {"change_in_sd": change}, [], status)


def test_update_lifecycle_new_signal():
    update = update_lifecycle([], [sig()])
    assert len(update.new) == 1 and update.new[0]["key"] == "decline|growth|role_clarity"


def test_update_lifecycle_escalating_easing_continuing():
    stored = update_lifecycle([], [sig()]).still_open()
    assert len(update_lifecycle(stored, [sig("high", 1.2)]).escalating) == 1
    assert len(update_lifecycle(stored, [sig("low", 0.3)]).easing) == 1
    assert len(update_lifecycle(stored, [sig("medium", 0.75)]).continuing) == 1
    assert len(update_lifecycle(stored, [sig("medium", 0.95)]).escalating) == 1


def test_update_lifecycle_keeps_first_week_of_the_same_signal():
    stored = update_lifecycle([], [sig(first="2026-W08")]).still_open()
    later = update_lifecycle(stored, [sig("high", 1.3, first="2026-W11")])
    assert later.escalating[0]["first_week"] == "2026-W08"


def test_update_lifecycle_resolves_after_two_quiet_weeks():
    stored = update_lifecycle([], [sig()]).still_open()
    week1 = update_lifecycle(stored, [])
    assert week1.continuing and not week1.resolved and week1.continuing[0]["quiet_weeks"] == 1
    week2 = update_lifecycle(week1.still_open(), [])
    assert len(week2.resolved) == 1 and not week2.still_open()


def test_update_lifecycle_quiet_count_restarts_when_detected_again():
    stored = update_lifecycle(update_lifecycle([], [sig()]).still_open(), []).still_open()
    again = update_lifecycle(stored, [sig()]).still_open()
    assert again[0]["quiet_weeks"] == 0
    assert not update_lifecycle(again, []).resolved


def test_update_lifecycle_detector_resolution_is_immediate():
    stored = update_lifecycle([], [sig()]).still_open()
    update = update_lifecycle(stored, [sig(status="resolved")])
    assert len(update.resolved) == 1 and not update.still_open()
