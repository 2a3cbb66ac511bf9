"""Which teams and signals the signed-in account may see; anything else is a 404."""
from flask import abort
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from surveys.accounts import visible_team_slugs, visible_teams
from surveys.models import StoredSignal, Team


def my_teams():
    """Teams the current account may see, by name."""
    return visible_teams(db.session, current_user.manager)


def my_team_slugs_in_order():
    """Slugs of `my_teams()`, in the same order (by name), without loading each team."""
    return visible_team_slugs(db.session, current_user.manager)


def teams_in_order(slugs):
    """The teams (with their departments) of `slugs`, in that order."""
    teams = {team.slug: team for team in db.session.scalars(
        select(Team).where(Team.slug.in_(list(slugs))).options(selectinload(Team.department)))}
    return [teams[slug] for slug in slugs]


def my_team_slugs():
    """Slugs of the teams the current account may see."""
    return set(my_team_slugs_in_order())


def team_or_404(slug):
    """The named team if the current account may see it."""
    team = db.session.scalar(select(Team).where(Team.slug == slug))
    if team is None or team.slug not in my_team_slugs():
        abort(404)
    return team


def boundary_pair_or_404(marketing_slug, sales_slug):
    """A marketing team and a sales team, when the account leads at least one of them."""
    teams = {t.slug: t for t in db.session.scalars(
        select(Team).where(Team.slug.in_([marketing_slug, sales_slug])))}
    marketing, sales = teams.get(marketing_slug), teams.get(sales_slug)
    if (marketing is None or sales is None or marketing.department.slug != "marketing"
            or sales.department.slug != "sales"
            or not {marketing_slug, sales_slug} & my_team_slugs()):
        abort(404)
    return marketing, sales


def visible_pairs():
    """(marketing team, sales team) pairs that include one of the account's teams."""
    everyone = list(db.session.scalars(select(Team).order_by(Team.name)))
    mine = my_team_slugs()
    marketing = [t for t in everyone if t.department.slug == "marketing"]
    sales = [t for t in everyone if t.department.slug == "sales"]
    return [(m, s) for m in marketing for s in sales if {m.slug, s.slug} & mine]


def signal_or_404(signal_id):
    """A stored signal that concerns one of the account's teams."""
    signal = db.session.get(StoredSignal, signal_id)
    if signal is None or not set(signal.teams) & my_team_slugs():
        abort(404)
    return signal
