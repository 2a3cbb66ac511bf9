"""Sign in, sign out, set a password."""
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from app.auth.forms import LoginForm, SetPasswordForm
from app.auth.tokens import manager_for_token
from app.auth.users import SignedInManager
from app.extensions import csrf, db, limiter
from surveys.accounts import LoginRefused, LoginThrottled, WeakPassword, check_login, end_sessions, set_password
from surveys.db import utcnow

bp = Blueprint("auth", __name__)
#: Sign-in attempts per client address, on top of the per-account limit kept in the database.
LOGIN_LIMIT = "20 per minute"


@bp.route("/login", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own CSRF token, after the rate limit has counted the attempt
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def login():
    """The sign-in form; the same answer for an unknown account and a wrong password."""
    form = LoginForm()
    if not form.is_submitted():
        return render_template("auth/login.html", form=form)
    if not form.validate():
        return render_template("auth/login.html", form=form), 400 if form.csrf_token.errors else 200
    try:
        manager = check_login(db.session, form.email.data, form.password.data,
                              request.remote_addr, utcnow())
    except (LoginRefused, LoginThrottled) as error:
        form.form_errors.append(error.message)
        return render_template("auth/login.html", form=form), 401
    session.clear()  # a fresh session at every sign-in
    login_user(SignedInManager(manager))
    return redirect(_safe_next(request.args.get("next")))


def _safe_next(target):
    """Only same-site paths are followed after sign-in."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("manager.overview")


@bp.post("/logout")
@login_required
def logout():
    """End this and every other session of the account, on the server side."""
    end_sessions(db.session, current_user.manager)
    logout_user()
    session.clear()
    flash("You are signed out.")
    return redirect(url_for("auth.login"))


@bp.route("/account/set-password/<token>", methods=["GET", "POST"])
def set_password_page(token):
    """Choose a password from an e-mailed link (invitation or reset)."""
    manager = manager_for_token(token)
    if manager is None:
        abort(404)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            set_password(db.session, manager, form.password.data)
        except WeakPassword as error:
            form.password.errors.append(str(error))
        else:
            flash("Your password is set. Please sign in.")
            return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form, manager=manager)
