"""Survey pages: exchange a link, answer, thank you. Identity never reaches the response."""
import datetime as dt
import functools

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError

from app.errors import csrf_error
from app.extensions import db, limiter
from app.scoring import score_comment
from app.survey.forms import answers_from, build_survey_form, item_fields, plain_submission
from surveys.db import autocommit_connection, utcnow
from surveys.errors import InvalidAnswers, LinkError, LinkUnknown
from surveys.invitations import check_usable_context, survey_context_on, usable_context_for_token
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


@bp.errorhandler(CSRFError)
def form_expired(error):
    """A form token that no longer checks out, or no survey behind the post at all.

    Answering drops the whole cookie (`end_survey_session`), form token included, so sending
    the answers again (the back button, a double click) fails the token check first; what
    that person needs to hear is that the link is used up, not that the form expired.
    """
    try:
        _invitation_id_from_cookie()
    except LinkUnknown as unknown:
        return link_error(unknown)
    return csrf_error(error)


@bp.get("/<token>")
@limiter.limit(SURVEY_LINK_LIMIT)
def exchange(token):
    """Trade the token in the address for a short-lived cookie, then drop it from the address bar."""
    with autocommit_connection(db.engine) as connection:
        context = usable_context_for_token(connection, token, utcnow())
    minutes = current_app.config["SURVEY_SESSION_MINUTES"]
    expires = utcnow() + dt.timedelta(minutes=minutes)
    session[COOKIE_KEY] = {"invitation": context.invitation_id, "expires": expires.timestamp()}
    return redirect(url_for("survey.answer"), code=303)


@bp.route("/", methods=["GET", "POST"])
def answer():
    """Show the round's questions; on a valid submit, store the anonymous response."""
    invitation_id = _invitation_id_from_cookie()
    if request.method == "POST":
        submission = plain_submission(request.form)
        if submission is not None:  # the usual answer from the page: one write transaction
            try:
                return _store(invitation_id, submission)
            except InvalidAnswers:
                pass  # not the round's items: the form below says what is wrong
    return _form_page(invitation_id)


def _form_page(invitation_id):
    """The form (validated and stored when it is a POST), or the page again with messages."""
    context = _usable_context(invitation_id)
    form = build_survey_form(*round_layout(context.bank_version, context.department,
                                           tuple(context.item_ids)))
    if form.validate_on_submit():
        submission = Submission(answers_from(form), form.enps.data, form.comment.data)
        try:
            return _store(invitation_id, submission, context)
        except InvalidAnswers as error:
            form.form_errors.append(str(error))
    return render_template("survey/answer.html", form=form, items=item_fields(form),
                           team_name=context.team_name, closes_at=context.closes_at,
                           min_group=current_app.config["ANONYMITY_MIN_GROUP"],
                           comment_min=current_app.config["COMMENT_MIN_GROUP"])


def _store(invitation_id, submission, context=None):
    """Store the response, end the survey cookie, and send the person to the thank-you page."""
    submit_response(db.session, invitation_id, submission, utcnow(), score_comment,
                    context=context)
    end_survey_session()
    return redirect(url_for("survey.thanks"), code=303)


def end_survey_session():
    """Forget the answered link; drop the whole cookie if the survey was all it held.

    Someone who only came to answer leaves with no cookie at all (nothing of the visit stays in
    their browser), and the response costs no re-signed cookie. A person also signed in to
    Tandem in the same browser stays signed in: only the survey's key goes.
    """
    # What a survey visit itself stores: the link's state and Flask-WTF's form token, under
    # the session key Flask-WTF reads from its own setting.
    survey_only = {COOKIE_KEY, current_app.config["WTF_CSRF_FIELD_NAME"]}
    if set(session) <= survey_only:
        session.clear()
    else:
        session.pop(COOKIE_KEY, None)


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


def _invitation_id_from_cookie():
    """The invitation id of an unexpired survey cookie, or LinkUnknown."""
    state = session.get(COOKIE_KEY)
    if not isinstance(state, dict) or state.get("expires", 0) < utcnow().timestamp():
        session.pop(COOKIE_KEY, None)
        raise LinkUnknown()
    return state.get("invitation")


def _usable_context(invitation_id):
    """The invitation's `survey_context_on` row if its link can still be used, else a LinkError."""
    with autocommit_connection(db.engine) as connection:
        context = survey_context_on(connection, invitation_id)
    if context is None:
        raise LinkUnknown()
    check_usable_context(context, utcnow())
    return context
