"""Report figures read from the stored panel."""
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import delete, select

from surveys.db import immediate_transaction
from surveys.models import PanelCell, Team
from surveys.reports import org_boundary, pair_metrics, pooled_mean, team_series

WEEKS = ["2026-W10", "2026-W11", "2026-W12", "2026-W13"]
PAIRS = ["pair:handoff", "pair:leads"]
TEAMS = [f"team-{i}" for i in range(6)]


def department_view(series, department, metric, week, min_teams):
    """A department's pooled figure from its teams' series, as the overview computed it before."""
    rows = [s.cells[metric][week] for s in series.values()
            if s.department == department and week in s.cells[metric]]
    return pooled_mean(rows) if len(rows) >= min_teams else (None, 0)


def boundary_from_series(session, weeks, min_teams):
    """The overview's boundary as it was computed before `org_boundary`: every team's series."""
    slugs = sorted(session.scalars(select(Team.slug)))  # slug order: org_boundary sums so
    series = team_series(session, slugs, weeks, metric_prefix="pair:")
    items = []
    for metric in pair_metrics(series):
        week = max((w for s in series.values() for w in s.cells[metric]), default=None)
        items.append((metric, week,
                      department_view(series, "marketing", metric, week, min_teams)[0],
                      department_view(series, "sales", metric, week, min_teams)[0]))
    return items


cell = st.tuples(st.sampled_from(TEAMS), st.sampled_from(WEEKS), st.sampled_from(PAIRS + ["lq1"]),
                 st.sampled_from(["marketing", "sales", "ops"]),
                 st.floats(1, 5, allow_nan=False), st.integers(3, 40))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(cell, max_size=40, unique_by=lambda c: c[:3]),
       weeks=st.lists(st.sampled_from(WEEKS), unique=True).map(sorted),
       min_teams=st.sampled_from([1, 3]))
def test_the_org_boundary_equals_the_figures_of_every_teams_series(session, factory, cells, weeks,
                                                                   min_teams):
    # Teams that moved department between weeks, metrics that are not paired items, weeks
    # outside the window, and cells of a team that no longer exists all come up.
    if not session.query(Team).count():
        factory.people({slug: ("marketing", 5) for slug in TEAMS[:5]})
    with immediate_transaction(session):
        session.execute(delete(PanelCell))
        session.add_all(PanelCell(team=team, department=department, week=week, metric=metric,
                                  mean=mean, sd=None, n=n, invited=n)
                        for team, week, metric, department, mean, n in cells)
    assert org_boundary(session, weeks, min_teams) == boundary_from_series(session, weeks, min_teams)


def test_a_department_figure_needs_the_minimum_of_teams(session, factory):
    factory.people({"a": ("marketing", 5), "b": ("marketing", 5), "c": ("sales", 5)})
    with immediate_transaction(session):
        session.add_all(PanelCell(team=team, department=department, week="2026-W12",
                                  metric="pair:leads", mean=mean, sd=None, n=10, invited=10)
                        for team, department, mean in (("a", "marketing", 3.0), ("b", "marketing", 4.0),
                                                       ("c", "sales", 2.0)))
    assert org_boundary(session, ["2026-W12"], 1) == [("pair:leads", "2026-W12", 3.5, 2.0)]
    assert org_boundary(session, ["2026-W12"], 2) == [("pair:leads", "2026-W12", 3.5, None)]
    assert org_boundary(session, ["2026-W12"], 3) == [("pair:leads", "2026-W12", None, None)]
    assert org_boundary(session, [], 1) == []
