"""Admin pages. Views parse the form, call a service and render; all are admin-only (else 404)."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from app.admin import forms
from app.admin.accounts import send_set_password_link
from app.auth.users import admin_required
from app.extensions import db
from app.manager.forms import ActionForm
from surveys.api_tokens import api_tokens, create_api_token, revoke_api_token
from surveys.accounts import all_accounts, create_account, end_sessions
from surveys.db import immediate_transaction, utcnow
from surveys.errors import ImportRowError, TandemError
from surveys.models import ApiToken, Manager, Member
from surveys.outgoing import mail_counts, recent_named_mail
from surveys.people import (
    add_department, all_teams, deactivate_member, departments, import_people, members_by_team,
    team_by_id)
from surveys.responses import response_rates
from surveys.rounds import create_schedule

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
@admin_required
def require_admin():
    """Every admin page needs an admin account."""


@bp.get("/")
def home():
    """Links to each admin area, with the settings in force."""
    return render_template("admin/home.html", config=current_app.config)


@bp.route("/people", methods=["GET", "POST"])
def people():
    """The directory, CSV import and deactivation."""
    form = forms.PeopleImportForm()
    problems = []
    if form.validate_on_submit():
        try:
            text = form.file.data.read().decode("utf-8-sig")
            report = import_people(db.session, text)
        except UnicodeDecodeError:
            problems = [(0, "the file is not UTF-8 text")]
        except ImportRowError as error:
            problems = error.problems
        else:
            flash(f"Imported: {report.created} new, {report.updated} updated, "
                  f"{report.reactivated} reactivated; {len(report.not_in_file)} active people "
                  "were not in the file and were left as they are.")
            return redirect(url_for("admin.people"), code=303)
    status = 400 if form.is_submitted() and (problems or form.errors) else 200
    return render_template("admin/people.html", form=form, problems=problems,
                           groups=members_by_team(db.session), action=ActionForm()), status


@bp.post("/people/<int:member_id>/deactivate")
def deactivate(member_id):
    """Deactivate one member."""
    member = db.session.get(Member, member_id) or abort(404)
    if ActionForm().validate_on_submit():
        deactivate_member(db.session, member)
        flash(f"{member.name} will get no more survey links.")
    return redirect(url_for("admin.people"), code=303)


@bp.route("/teams", methods=["GET", "POST"])
def teams():
    """Teams, departments and survey schedules."""
    department_form, schedule_form = forms.DepartmentForm(prefix="dept"), forms.ScheduleForm(prefix="sched")
    schedule_form.team.choices = [SelectChoice(str(t.id), t.name) for t in all_teams(db.session)]
    if department_form.submit.data and department_form.validate_on_submit():
        try:
            add_department(db.session, department_form.name.data)
        except TandemError as error:  # e.g. a name with no letters or digits
            department_form.form_errors.append(str(error))
        else:
            return redirect(url_for("admin.teams"), code=303)
    if schedule_form.submit.data and schedule_form.validate_on_submit():
        with immediate_transaction(db.session):
            create_schedule(db.session, team_by_id(db.session, int(schedule_form.team.data)),
                            schedule_form.cadence.data, schedule_form.starts.data)
        flash("Schedule saved.")
        return redirect(url_for("admin.teams"), code=303)
    return render_template("admin/teams.html", teams=all_teams(db.session),
                           departments=departments(db.session), department_form=department_form,
                           schedule_form=schedule_form)


@bp.get("/rounds")
def rounds():
    """Rounds with response counts (hidden below the group minimum)."""
    teams = {t.id: t for t in all_teams(db.session)}
    return render_template("admin/rounds.html", rates=response_rates(db.session)[-200:], teams=teams,
                           min_group=current_app.config["ANONYMITY_MIN_GROUP"])


@bp.route("/accounts", methods=["GET", "POST"])
def accounts():
    """Manager and admin accounts: invite, reset password, deactivate."""
    form = forms.AccountForm()
    if form.validate_on_submit():
        try:
            manager = create_account(db.session, form.email.data, form.name.data, form.role.data)
        except TandemError as error:
            form.form_errors.append(str(error))
        else:
            send_set_password_link(manager, utcnow())
            flash(f"Invitation sent to {manager.email}.")
            return redirect(url_for("admin.accounts"), code=303)
    return render_template("admin/accounts.html", form=form, accounts=all_accounts(db.session),
                           action=ActionForm())


@bp.post("/accounts/<int:manager_id>/<any(reset, deactivate):step>")
def account_action(manager_id, step):
    """Send a password-reset link, or deactivate the account (ending its sessions)."""
    manager = db.session.get(Manager, manager_id) or abort(404)
    if ActionForm().validate_on_submit():
        if step == "reset":
            send_set_password_link(manager, utcnow())
            flash(f"A link to set a new password was sent to {manager.email}.")
        else:
            with immediate_transaction(db.session):
                manager.active = False
            end_sessions(db.session, manager)
            flash(f"{manager.name} can no longer sign in.")
    return redirect(url_for("admin.accounts"), code=303)


@bp.route("/tokens", methods=["GET", "POST"])
def tokens():
    """API tokens: create (shown once) and revoke."""
    form, created = forms.TokenForm(), None
    if form.validate_on_submit():
        try:
            _, created = create_api_token(db.session, current_user.manager, form.name.data,
                                          form.scope.data)
        except TandemError as error:  # e.g. a name of spaces only
            form.form_errors.append(str(error))
    return render_template("admin/tokens.html", form=form, created=created,
                           tokens=api_tokens(db.session), action=ActionForm())


@bp.post("/tokens/<int:token_id>/revoke")
def revoke(token_id):
    """Revoke one API token."""
    row = db.session.get(ApiToken, token_id) or abort(404)
    if ActionForm().validate_on_submit():
        revoke_api_token(db.session, row)
        flash(f"Token “{row.name}” revoked.")
    return redirect(url_for("admin.tokens"), code=303)


@bp.get("/mail")
def mail():
    """What was sent: survey e-mails as counts only, others with recipients."""
    return render_template("admin/mail.html", counts=mail_counts(db.session),
                           named=recent_named_mail(db.session))

