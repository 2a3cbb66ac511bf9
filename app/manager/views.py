"""Assembling what each manager page shows, from report queries (DESIGN §3 applies throughout)."""
from collections import Counter

from flask import current_app
from flask_login import current_user

from analysis.signals.metrics import DRIVERS
from app.extensions import db
from app.manager import access
from surveys.interventions import catalogue_by_id, intervention_effect, plans_for_signal
from surveys.reports import (
    friction_shares, org_boundary, pair_metrics, recent_weeks, round_comments, team_series)
from surveys.messages.consent import opted_in_members, shown_count
from surveys.messages.switch import current_switch
from surveys.rollup import stored_panel_rows
from surveys.signals import open_signals


def _minimums():
    config = current_app.config
    return config["ANONYMITY_MIN_GROUP"], config["COMMENT_MIN_GROUP"]


def _department_min_teams():
    # Admins see every team anyway; a manager sees a department figure only when at least three
    # teams stand behind it, so their own team's figure cannot be subtracted to reveal another's.
    return 1 if current_user.is_admin else 3


#: Teams per overview page: an admin of a large organisation pages through them by name.
TEAMS_PER_PAGE = 25


def overview_data(page=1):
    """Teams with health, participation and signal counts; the org boundary at a glance."""
    weeks = recent_weeks(db.session)
    # Only the page's teams are loaded: an admin's list is every team of the organisation.
    all_slugs = access.my_team_slugs_in_order()
    pages = max(1, -(-len(all_slugs) // TEAMS_PER_PAGE))
    page = min(max(page, 1), pages)
    teams = access.teams_in_order(all_slugs[(page - 1) * TEAMS_PER_PAGE:page * TEAMS_PER_PAGE])
    series = team_series(db.session, [t.slug for t in teams], weeks,
                         metrics=(*DRIVERS, "participation"))
    signals = open_signals(db.session, all_slugs)
    return {"weeks": weeks, "teams": teams, "series": series, "signals": signals,
            "page": page, "pages": pages, "OVERVIEW_SIGNALS": OVERVIEW_SIGNALS,
            "severity_counts": _severity_counts(signals), "drivers": DRIVERS,
            "heatmap_teams": _heatmap_teams(teams, series, weeks),
            "boundary": _org_boundary(weeks)}


def _severity_counts(signals):
    counts = {}
    for signal in signals:
        for team in signal.teams:
            counts.setdefault(team, Counter())[signal.severity] += 1
    return counts


#: The overview lists the most severe open signals; team pages list all of their own.
OVERVIEW_SIGNALS = 25
#: The heatmap shows the teams that need attention most; beyond this it stops being readable.
HEATMAP_MAX_TEAMS = 30


def _heatmap_teams(teams, series, weeks):
    """(teams shown, driver grid, teams left out) with the least healthy teams first."""
    def latest_health(team):
        values = [h for h in series[team.slug].health(weeks) if h is not None]
        return values[-1] if values else 101  # teams without data go last
    ranked = sorted(teams, key=latest_health)
    shown = ranked[:HEATMAP_MAX_TEAMS]
    return shown, _latest_driver_grid(shown, series, weeks), len(ranked) - len(shown)


def _latest_driver_grid(teams, series, weeks):
    """Each team's latest visible value per driver within the window (None where hidden)."""
    grid = []
    for team in teams:
        row = []
        for driver in DRIVERS:
            values = [v for v in series[team.slug].values(driver, weeks) if v is not None]
            row.append(values[-1] if values else None)
        grid.append(row)
    return grid


def _org_boundary(weeks):
    """Marketing vs sales on each paired item, pooled over visible teams, latest week with data."""
    return org_boundary(db.session, weeks, _department_min_teams())


def team_data(team):
    """Everything on a team page."""
    min_group, comment_min = _minimums()
    weeks = recent_weeks(db.session)
    series = team_series(db.session, [team.slug], weeks)[team.slug]
    return {"team": team, "weeks": weeks, "series": series, "drivers": DRIVERS,
            "friction": friction_shares(series, weeks),
            "comments": round_comments(db.session, team.id, comment_min, weeks),
            "comment_min": comment_min, "min_group": min_group,
            "signals": open_signals(db.session, [team.slug]),
            "messages": _team_messages(team)}


def _team_messages(team):
    """Whether sampling is on and how many of the team share (None below the minimum)."""
    switch = current_switch(db.session)
    if switch is None or not switch.enabled:
        return {"on": False, "opted_in": None}
    minimum = current_app.config["MESSAGE_MIN_CONTRIBUTORS"]
    count = opted_in_members(db.session, switch.notice_version, team.id)
    return {"on": True, "opted_in": shown_count(count, minimum), "minimum": minimum}


def boundary_data(marketing, sales):
    """Paired items side by side, friction over time and the pair's signals."""
    weeks = recent_weeks(db.session)
    series = team_series(db.session, [marketing.slug, sales.slug], weeks)
    items = []
    for metric in pair_metrics(series):
        items.append((metric, *(_latest(series[t.slug], metric) for t in (marketing, sales))))
    signals = [s for s in open_signals(db.session, [marketing.slug, sales.slug])]
    return {"marketing": marketing, "sales": sales, "weeks": weeks, "series": series,
            "items": items, "signals": signals,
            "friction": {t.slug: friction_shares(series[t.slug], weeks) for t in (marketing, sales)}}


def _latest(team_series_, metric):
    row = team_series_.latest(metric)
    return row.mean if row else None


def signal_data(signal, plan_form, ranked):
    """Everything on a signal page, including plans and their before/after."""
    min_group, _ = _minimums()
    plans = plans_for_signal(db.session, signal.id)
    rows = stored_panel_rows(db.session, teams=signal.teams, metrics=[signal.metric])
    catalogue = catalogue_by_id()
    return {"signal": signal, "ranked": ranked, "form": plan_form,
            "plans": [(p, catalogue.get(p.intervention_id), intervention_effect(p, rows, min_group))
                      for p in plans],
            "history": rows}
