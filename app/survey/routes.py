"""Survey pages: exchange a link, answer, thank you. Identity never reaches the response."""
import datetime as dt
import functools

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for

from app.extensions import db, limiter
from app.scoring import score_comment
from app.survey.forms import answers_from, build_survey_form, item_fields, plain_submission
from surveys.db import utcnow
from surveys.errors import InvalidAnswers, LinkError, LinkUnknown
from surveys.invitations import check_usable_context, invitation_for_token, survey_context
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
    context = _context_from_cookie()
    layout = round_layout(context.bank_version, context.department, tuple(context.item_ids))
    form, submission = None, None
    if request.method == "POST":
        submission = plain_submission(request.form, context.item_ids)
    if submission is None:  # a page view, or a POST the form must check and explain
        form = build_survey_form(*layout)
        if form.validate_on_submit():
            submission = Submission(answers_from(form), form.enps.data, form.comment.data)
    if submission is not None:
        try:
            submit_response(db.session, context.invitation_id, submission, utcnow(),
                            score_comment, context=context)
        except InvalidAnswers as error:
            form = form or build_survey_form(*layout)  # bound to what was sent, to show it again
            form.form_errors.append(str(error))
        else:
            session.pop(COOKIE_KEY, None)
            return redirect(url_for("survey.thanks"), code=303)
    return render_template("survey/answer.html", form=form, items=item_fields(form),
                           team_name=context.team_name, closes_at=context.closes_at,
                           min_group=current_app.config["ANONYMITY_MIN_GROUP"],
                           comment_min=current_app.config["COMMENT_MIN_GROUP"])


@functools.lru_cache(maxsize=1024)
def round_layout(bank_version, department, item_ids):
    """(questions, recommend text, comment prompt) of a round, built once per process.

    The key is everything the layout depends on, read fresh from the database on each request
    (the bank files never change while the process runs), so a team moved to another
    department, or a new round, simply uses another entry: nothing to invalidate.
    """
    bank = load_bank(bank_version)
    questions = tuple((item, bank.text_for(item, department)) for item in item_ids)
    return questions, bank.recommend.text, bank.comment_prompt


@bp.get("/thanks")
def thanks():
    """Confirmation after answering."""
    return render_template("survey/thanks.html")


def _context_from_cookie():
    """The usable invitation of the cookie, as a `survey_context` row, or a LinkError."""
    state = session.get(COOKIE_KEY)
    if not isinstance(state, dict) or state.get("expires", 0) < utcnow().timestamp():
        session.pop(COOKIE_KEY, None)
        raise LinkUnknown()
    context = survey_context(db.session, state.get("invitation"))
    if context is None:
        raise LinkUnknown()
    check_usable_context(context, utcnow())
    return context
