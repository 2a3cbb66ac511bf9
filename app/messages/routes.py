"""The consent page: the notice in plain words, and one-click opt-in and opt-out."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for

from app.extensions import db
from app.messages.forms import SOURCE_LABELS, GrantForm, WithdrawForm
from app.messages.links import read_consent_token
from surveys.db import utcnow
from surveys.errors import TandemError
from surveys.messages.consent import consent_status, grant_consent, withdraw_consent
from surveys.messages.switch import current_switch
from surveys.models import Member

bp = Blueprint("messages", __name__, url_prefix="/consent")


def _member_or_404(token):
    member_id = read_consent_token(token)
    member = db.session.get(Member, member_id) if member_id is not None else None
    if member is None:
        abort(404)
    return member


def _page(token, member, grant_form=None, status=200):
    switch = current_switch(db.session)
    config = current_app.config
    return render_template(
        "messages/consent.html", token=token, member=member, switch=switch,
        status=consent_status(db.session, member), sources=SOURCE_LABELS,
        grant_form=grant_form or GrantForm(), withdraw_form=WithdrawForm(),
        min_people=config["MESSAGE_MIN_CONTRIBUTORS"],
        retention_days=config["MESSAGE_TEXT_RETENTION_DAYS"]), status


@bp.get("/<token>")
def consent(token):
    """The notice and the member's current choice."""
    return _page(token, _member_or_404(token))


@bp.post("/<token>/grant")
def grant(token):
    """Opt in for the ticked sources."""
    member, form = _member_or_404(token), GrantForm()
    if not form.validate_on_submit():
        return _page(token, member, form, 400)
    try:
        grant_consent(db.session, member, form.scope(), utcnow())
    except TandemError as error:
        form.form_errors.append(str(error))
        return _page(token, member, form, 400)
    flash("Thank you. Samples of your messages from the sources you chose will be scored.")
    return redirect(url_for("messages.consent", token=token), code=303)


@bp.post("/<token>/withdraw")
def withdraw(token):
    """Opt out: stop at once and delete the samples kept so far."""
    member = _member_or_404(token)
    if not WithdrawForm().validate_on_submit():
        return _page(token, member, status=400)
    deleted = withdraw_consent(db.session, member, utcnow())
    flash(f"Done. Nothing more will be collected, and {deleted} stored sample(s) were deleted.")
    return redirect(url_for("messages.consent", token=token), code=303)
