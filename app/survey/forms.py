"""The survey form, built at request time from the round's items."""
import functools

from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from surveys.responses import MAX_COMMENT_LENGTH, Submission

#: The 1–5 agreement scale, lowest first.
AGREEMENT_SCALE = [SelectChoice(str(value), label) for value, label in enumerate(
    ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"], start=1)]
#: The 0–10 recommend scale.
RECOMMEND_SCALE = [SelectChoice(str(value)) for value in range(11)]
ITEM_FIELD_PREFIX = "item_"
#: The exact strings the page's radio buttons send back, and the numbers they stand for.
AGREEMENT_VALUES = {choice.value: int(choice.value) for choice in AGREEMENT_SCALE}
RECOMMEND_VALUES = {choice.value: int(choice.value) for choice in RECOMMEND_SCALE}


class SurveyFormBase(FlaskForm):
    """Fields every round has; the round's items are added by `build_survey_form`."""

    class Meta:
        # CSRFProtect checks the token of every POST before any view runs (a bad or missing one
        # answers 400), so the form does not sign and check it a second time; the page still
        # carries the token (`csrf_token()` in the template).
        csrf = False

    enps = RadioField(choices=RECOMMEND_SCALE, coerce=int,
                      validators=[InputRequired("Please pick a number from 0 to 10.")])
    comment = TextAreaField(validators=[Optional(), Length(max=MAX_COMMENT_LENGTH)])
    submit = SubmitField("Send my answers")


def build_survey_form(questions, recommend_text, comment_prompt):
    """A bound form for `questions` (a list of (item_id, text) pairs)."""
    form = survey_form_class(tuple(questions))()
    form.enps.label.text = recommend_text
    form.comment.label.text = comment_prompt
    return form


@functools.lru_cache(maxsize=256)
def survey_form_class(questions):
    """The form class for a tuple of (item_id, text) pairs, built once per layout.

    Every person of a round gets the same questions; building the class (and WTForms sorting
    its fields on first use) for each request was repeated work. Labels set on a bound form
    are copies, so sharing the class between requests is safe.
    """
    fields = {f"{ITEM_FIELD_PREFIX}{item_id}": RadioField(
        text, choices=AGREEMENT_SCALE, coerce=int,
        validators=[InputRequired("Please choose one answer.")]) for item_id, text in questions}
    return type("SurveyForm", (SurveyFormBase,), fields)


def item_fields(form):
    """The form's item fields, in the order they were asked."""
    return [field for field in form if field.name.startswith(ITEM_FIELD_PREFIX)]


def answers_from(form):
    """item id → chosen value, from a validated form."""
    return {field.name[len(ITEM_FIELD_PREFIX):]: field.data for field in item_fields(form)}


def plain_submission(formdata):
    """The Submission a POST carries when every value is exactly one the page offers, else None.

    A person answering from the page sends just that, and reading it here costs a fraction of
    building and validating the WTForms form. Anything else (an odd value, an over-long
    comment) gives None and goes through the form, which says what is wrong. Which items were
    answered is left to `submit_response` to check against the round (a missing or unknown item
    is refused there, and the form then explains). Only values the form accepts too are taken,
    so both ways store the same submission.
    """
    answers = {}
    for name, value in formdata.items():
        if name.startswith(ITEM_FIELD_PREFIX):
            answers[name[len(ITEM_FIELD_PREFIX):]] = AGREEMENT_VALUES.get(value)
    enps = RECOMMEND_VALUES.get(formdata.get("enps"))
    comment = formdata.get("comment", "")
    if None in answers.values() or enps is None or len(comment) > MAX_COMMENT_LENGTH:
        return None
    return Submission(answers, enps, comment)
