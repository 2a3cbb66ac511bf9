"""Unsubscribe (no sign-in needed: the signed link is the permission) and the preferences page."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.extensions import csrf, db
from app.mail.unsubscribe import read_unsubscribe_token
from app.preferences.forms import PreferencesForm
from surveys.preferences import save_preferences, unsubscribe

bp = Blueprint("preferences", __name__)


@bp.get("/unsubscribe/<token>", endpoint="unsubscribe_page")
def unsubscribe_page(token):
    """Confirm before changing anything: mail scanners follow GET links on their own."""
    if read_unsubscribe_token(token) is None:
        abort(404)
    return render_template("preferences/unsubscribe.html", token=token, done=False)


@bp.post("/unsubscribe/<token>", endpoint="unsubscribe")
@csrf.exempt
def unsubscribe_view(token):
    """RFC 8058 one-click POST: no cookie, no login; switches off exactly one kind of e-mail."""
    found = read_unsubscribe_token(token)
    if found is None:
        abort(404)
    kind, person_id = found
    if not unsubscribe(db.session, kind, person_id):
        abort(404)
    return render_template("preferences/unsubscribe.html", token=token, done=True, kind=kind)


@bp.route("/account/preferences", methods=["GET", "POST"])
@login_required
def preferences():
    """A manager's digest day, hour, zone and alert choices."""
    form = PreferencesForm(obj=current_user.manager)
    if form.validate_on_submit():
        save_preferences(db.session, current_user.manager, form.data)
        flash("Preferences saved.")
        return redirect(url_for("preferences.preferences"), code=303)
    return render_template("preferences/preferences.html", form=form)
