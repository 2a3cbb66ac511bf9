import pytest

from analysis.interventions import before_after_effect, load_catalogue, rank_interventions
from analysis.signals.panel import PanelRow
from analysis.signals.weeks import add_weeks


def signal(kind, metric, categories=(), severity="medium"):
    return {"kind": kind, "metric": metric, "teams": ["growth"], "severity": severity,
            "evidence": {"friction_categories": list(categories)}}


def test_rank_interventions_puts_role_work_first_for_role_clarity_decline():
    ranked = rank_interventions(signal("decline", "role_clarity", ["blame"]), load_catalogue())
    best, score, reason = ranked[0]
    assert "role_clarity" in best.drivers
    assert "answers a decline in role clarity" in reason and "blame" in reason
    assert [r[1] for r in ranked] == sorted((r[1] for r in ranked), reverse=True)


def test_rank_interventions_lead_gap_prefers_agreement_on_lead_criteria():
    ranked = rank_interventions(signal("perception_gap", "pair:acts_on_handover",
                                       ["lead_quality", "follow_up"]), load_catalogue())
    assert "marketing-sales-sla" in [e.id for e, _, _ in ranked[:3]]


def test_rank_interventions_hostile_friction_suggests_early_or_facilitated_talk():
    ranked = rank_interventions(signal("friction_spike", "friction:hostility", ["hostility"],
                                       "high"), load_catalogue())
    assert ranked[0][0].id in ("facilitated-reset", "early-tension-check-in")
    assert "hostility" in ranked[0][2]


def rows(before, after, n=10, sd=0.8, gap=4):
    start = "2026-W10"
    out = [PanelRow("growth", "marketing", add_weeks(start, k - len(before)), "role_clarity",
                    m, sd, n) for k, m in enumerate(before)]
    done = add_weeks(start, gap)
    out += [PanelRow("growth", "marketing", add_weeks(done, k + 1), "role_clarity", m, sd, n)
            for k, m in enumerate(after)]
    return out, start, done


def test_before_after_effect_reports_difference_and_interval():
    data, start, done = rows([3.0, 3.1, 2.9, 3.0], [3.8, 3.9, 3.7, 3.8], n=20)
    effect = before_after_effect(data, start, done)
    assert effect.status == "ok"
    assert effect.difference == pytest.approx(0.8, abs=1e-9)
    assert effect.interval[0] > 0 and effect.improved is True and effect.weeks == (4, 4)


def test_before_after_effect_unclear_for_small_noisy_change():
    data, start, done = rows([3.0, 3.4, 2.8, 3.2], [3.1, 3.5, 2.9, 3.2], n=5)
    effect = before_after_effect(data, start, done)
    assert effect.status == "ok" and effect.improved is None


def test_before_after_effect_not_enough_data():
    data, start, done = rows([3.0], [3.8, 3.9], n=20)
    assert before_after_effect(data, start, done).status == "not enough data"
    small, start, done = rows([3.0, 3.1], [3.8, 3.9], n=4)
    assert before_after_effect(small, start, done).status == "not enough data"
