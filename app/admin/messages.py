"""Admin: the message-sampling switch, consent invitations and the counts behind the feature."""
from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from app.admin.forms import MessageSwitchForm
from app.admin.routes import bp
from app.extensions import db
from app.mail.transport import transport_from_config
from app.manager.forms import ActionForm
from app.messages.mail import send_consent_invitations
from app.tasks import mail_queue, queue_configured
from surveys.db import utcnow
from surveys.errors import TandemError
from surveys.messages.consent import opted_in_members, shown_count
from surveys.messages.notice import DEFAULT_NOTICE
from surveys.messages.store import stored_sample_count, tallies
from surveys.messages.switch import current_switch, disable_sampling, enable_sampling


def _page(form, status=200):
    switch = current_switch(db.session)
    minimum = current_app.config["MESSAGE_MIN_CONTRIBUTORS"]
    opted_in = opted_in_members(db.session, switch.notice_version) if switch else 0
    return render_template(
        "admin/messages.html", form=form, switch=switch, action=ActionForm(),
        opted_in=shown_count(opted_in, minimum), minimum=minimum,
        stored=stored_sample_count(db.session), tallies=tallies(db.session),
        retention_days=current_app.config["MESSAGE_TEXT_RETENTION_DAYS"]), status


@bp.route("/messages", methods=["GET", "POST"])
def messages():
    """Switch sampling on (or publish a new notice) and see the counts."""
    switch = current_switch(db.session)
    form = MessageSwitchForm(dpia_ref=switch.dpia_ref if switch else "",
                             notice=switch.notice_text if switch else DEFAULT_NOTICE)
    if not form.validate_on_submit():
        return _page(form, 400 if form.is_submitted() else 200)
    try:
        enable_sampling(db.session, form.dpia_ref.data, form.notice.data, current_user.email,
                        utcnow())
    except TandemError as error:
        form.form_errors.append(str(error))
        return _page(form, 400)
    flash("Message sampling is on. Send the consent links so people can choose.")
    return redirect(url_for("admin.messages"), code=303)


@bp.post("/messages/<any(disable, invite):step>")
def messages_action(step):
    """Switch sampling off, or e-mail everyone their consent link."""
    if ActionForm().validate_on_submit():
        if step == "disable":
            disable_sampling(db.session, current_user.email, utcnow())
            flash("Message sampling is off. Nothing more is imported.")
        else:
            _invite()
    return redirect(url_for("admin.messages"), code=303)


def _invite():
    try:
        config = current_app.config
        done = send_consent_invitations(db.session, utcnow(), transport_from_config(config),
                                        config["MESSAGE_MIN_CONTRIBUTORS"],
                                        queue=mail_queue(config))
    except TandemError as error:
        flash(str(error))
    else:
        verb = "Queued" if queue_configured(config) else "Sent"
        flash(f"{verb} {done} consent link(s); people who already got this notice are skipped.")
