"""Manager pages: thin views that gather report data and render it."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from app.extensions import db
from app.manager import access, views
from app.manager.forms import ActionForm, PlanForm
from surveys.db import utcnow
from surveys.errors import InvalidTransition, TandemError
from surveys.interventions import (
    complete_intervention, plan_intervention, ranked_for, start_intervention)
from surveys.models import InterventionPlan
from surveys.signals import acknowledge_signal

bp = Blueprint("manager", __name__)


@bp.before_request
@login_required
def require_login():
    """Every manager page needs a signed-in account."""


@bp.get("/overview")
def overview():
    """The account's teams at a glance (25 to a page), and the marketing–sales boundary."""
    page = request.args.get("page", 1, type=int)
    return render_template("manager/overview.html", **views.overview_data(page))


@bp.get("/teams/<slug>")
def team(slug):
    """One team: drivers over time, eNPS, participation, comments and signals."""
    return render_template("manager/team.html", **views.team_data(access.team_or_404(slug)))


@bp.get("/boundary")
def boundaries():
    """The marketing–sales pairs the account may look at."""
    return render_template("manager/boundaries.html", pairs=access.visible_pairs())


@bp.get("/boundary/<marketing>/<sales>")
def boundary(marketing, sales):
    """How a marketing team and a sales team see each other."""
    pair = access.boundary_pair_or_404(marketing, sales)
    return render_template("manager/boundary.html", **views.boundary_data(*pair))


@bp.get("/signals/<int:signal_id>")
def signal(signal_id):
    """One signal: what changed, why we think so, and what to do about it."""
    found = access.signal_or_404(signal_id)
    ranked = ranked_for(found)
    return render_template("manager/signal.html",
                           **views.signal_data(found, _plan_form(ranked), ranked))


@bp.post("/signals/<int:signal_id>/plan")
def plan(signal_id):
    """Plan one of the ranked interventions for the signal's teams."""
    found = access.signal_or_404(signal_id)
    ranked = ranked_for(found)
    form = _plan_form(ranked)
    if form.validate_on_submit():
        try:
            plan_intervention(db.session, form.intervention.data, found.teams, found.metric,
                              form.owner.data, form.note.data or "", utcnow(), signal=found,
                              manager=current_user.manager)
        except TandemError as error:
            form.form_errors.append(str(error))
        else:
            flash("Intervention planned.")
            return redirect(url_for("manager.signal", signal_id=signal_id), code=303)
    data = views.signal_data(found, form, ranked)
    return render_template("manager/signal.html", **data), 400


@bp.post("/signals/<int:signal_id>/acknowledge")
def acknowledge(signal_id):
    """Mark the signal as seen."""
    found = access.signal_or_404(signal_id)
    if ActionForm().validate_on_submit():
        acknowledge_signal(db.session, found)
    return redirect(url_for("manager.signal", signal_id=signal_id), code=303)


@bp.post("/plans/<int:plan_id>/<any(start, complete):step>")
def move_plan(plan_id, step):
    """Start or complete a planned intervention."""
    plan_row = db.session.get(InterventionPlan, plan_id)
    if plan_row is None or not set(plan_row.teams) & access.my_team_slugs():
        abort(404)
    if ActionForm().validate_on_submit():
        try:
            (start_intervention if step == "start" else complete_intervention)(
                db.session, plan_row, utcnow())
        except InvalidTransition as error:
            flash(str(error))
    target = (url_for("manager.signal", signal_id=plan_row.signal_id) if plan_row.signal_id
              else url_for("manager.overview"))
    return redirect(target, code=303)


def _plan_form(ranked):
    """The plan form, offering the interventions ranked for this signal."""
    form = PlanForm()
    form.intervention.choices = [SelectChoice(item.id, item.title) for item, _, _ in ranked]
    return form

