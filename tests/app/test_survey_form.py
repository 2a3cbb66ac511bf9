"""The survey POST's short way (exact values, no form object) agrees with the WTForms form."""
import pytest
from hypothesis import given, settings, strategies as st
from werkzeug.datastructures import MultiDict

from app import create_app
from app.survey.forms import answers_from, build_survey_form, plain_submission
from config import TestConfig
from surveys.question_bank import load_bank

BANK = load_bank()
ITEMS = tuple(item.id for item in BANK.items[:3])
QUESTIONS = tuple((item, BANK.text_for(item, "marketing")) for item in ITEMS)
values = st.one_of(st.sampled_from(["0", "1", "3", "5", "6", "10", "11", " 3", "3 ", "+3", "03", "", "x"]),
                   st.text(max_size=4))


@pytest.fixture(scope="module")
def form_app(tmp_path_factory):
    """One app for every example: only its request handling is used."""
    return create_app(TestConfig(str(tmp_path_factory.mktemp("form"))))


def posted(app, data):
    """The form, bound to `data` as a POST would bind it, and validated."""
    with app.test_request_context("/s/", method="POST", data=data):
        form = build_survey_form(QUESTIONS, "Recommend?", "Anything else?")
        valid = form.validate()
        return valid, form


@settings(max_examples=300, deadline=None)
@given(answers=st.lists(values, min_size=0, max_size=len(ITEMS)), enps=st.one_of(st.none(), values),
       comment=st.one_of(st.none(), st.text(max_size=40), st.just("x" * 2001)))
def test_what_the_short_way_accepts_the_form_accepts_with_the_same_values(form_app, answers,
                                                                         enps, comment):
    data = MultiDict({f"item_{item}": value for item, value in zip(ITEMS, answers)})
    if enps is not None:
        data["enps"] = enps
    if comment is not None:
        data["comment"] = comment
    short = plain_submission(data)
    valid, form = posted(form_app, data)
    if short is not None and set(short.answers) == set(ITEMS):  # others: refused by the round
        assert valid
        assert short.answers == answers_from(form) and short.enps == form.enps.data
        assert (short.comment or "") == (form.comment.data or "")


def test_a_complete_page_answer_takes_the_short_way():
    data = MultiDict({**{f"item_{item}": "4" for item in ITEMS}, "enps": "9", "comment": ""})
    short = plain_submission(data)
    assert short.answers == dict.fromkeys(ITEMS, 4) and short.enps == 9
    assert plain_submission(MultiDict({**data, "enps": "11"})) is None
    assert plain_submission(MultiDict({**data, f"item_{ITEMS[0]}": "6"})) is None
