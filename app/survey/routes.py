"""Survey pages: exchange a link, answer, thank you. Identity never reaches the response."""
import datetime as dt

from flask import Blueprint, current_app, redirect, render_template, session, url_for

from app.extensions import db, limiter
from app.scoring import score_comment
from app.survey.forms import answers_from, build_survey_form, item_fields
from surveys.db import utcnow
from surveys.errors import InvalidAnswers, LinkError, LinkUnknown
from surveys.invitations import check_usable, invitation_for_token, load_invitation
from surveys.question_bank import load_bank
from surveys.responses import Submission, submit_response

COOKIE_KEY = "survey"
#: Link exchanges per client address: plenty for people, far too few for guessing tokens.
SURVEY_LINK_LIMIT = "30 per minute; 300 per hour"

bp = Blueprint("survey", __name__, url_prefix="/s")


@bp.after_request
def keep_links_private(response):
    """Survey pages never leak their address to other sites or caches."""
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(LinkError)
def link_error(error):
    """A clear page for a used, expired or unknown link, with the right status."""
    return render_template("survey/link_error.html", message=error.message), error.status


@bp.get("/<token>")
@limiter.limit(SURVEY_LINK_LIMIT)
def exchange(token):
    """Trade the token in the address for a short-lived cookie, then drop it from the address bar."""
    invitation = invitation_for_token(db.session, token, utcnow())
    minutes = current_app.config["SURVEY_SESSION_MINUTES"]
    expires = utcnow() + dt.timedelta(minutes=minutes)
    session[COOKIE_KEY] = {"invitation": invitation.id, "expires": expires.timestamp()}
    return redirect(url_for("survey.answer"), code=303)


@bp.route("/", methods=["GET", "POST"])
def answer():
    """Show the round's questions; on a valid submit, store the anonymous response."""
    invitation = _invitation_from_cookie()
    survey_round = invitation.survey_round
    bank = load_bank(survey_round.bank_version)
    department = survey_round.team.department.slug
    questions = [(i, bank.text_for(i, department)) for i in survey_round.item_ids]
    form = build_survey_form(questions, bank.recommend.text, bank.comment_prompt)
    if form.validate_on_submit():
        submission = Submission(answers_from(form), form.enps.data, form.comment.data)
        try:
            submit_response(db.session, invitation.id, submission, utcnow(), score_comment)
        except InvalidAnswers as error:
            form.form_errors.append(str(error))
        else:
            session.pop(COOKIE_KEY, None)
            return redirect(url_for("survey.thanks"), code=303)
    return render_template("survey/answer.html", form=form, items=item_fields(form),
                           team=survey_round.team, closes_at=survey_round.closes_at,
                           min_group=current_app.config["ANONYMITY_MIN_GROUP"],
                           comment_min=current_app.config["COMMENT_MIN_GROUP"])


@bp.get("/thanks")
def thanks():
    """Confirmation after answering."""
    return render_template("survey/thanks.html")


def _invitation_from_cookie():
    state = session.get(COOKIE_KEY)
    if not isinstance(state, dict) or state.get("expires", 0) < utcnow().timestamp():
        session.pop(COOKIE_KEY, None)
        raise LinkUnknown()
    invitation = load_invitation(db.session, state.get("invitation"))
    if invitation is None:
        raise LinkUnknown()
    check_usable(invitation, utcnow())
    return invitation
