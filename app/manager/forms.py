"""Forms on the signal page: plan an intervention, move it along, acknowledge a signal."""
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length


class PlanForm(FlaskForm):
    """Choose an intervention, name an owner, add a note."""

    intervention = SelectField("Intervention", validators=[InputRequired()])
    owner = StringField("Owner", validators=[InputRequired("Name who owns this."), Length(max=200)])
    note = TextAreaField("Note (optional)", validators=[Length(max=2000)])
    submit = SubmitField("Plan it")


class ActionForm(FlaskForm):
    """A button that changes state (start, complete, acknowledge); CSRF-protected."""

    submit = SubmitField()
