"""Admin forms."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, EmailField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length


def options(**labels):
    """Select options from value=label keywords, in order."""
    return [SelectChoice(value, label) for value, label in labels.items()]


class PeopleImportForm(FlaskForm):
    """Upload a people CSV."""

    file = FileField("People CSV (email, name, team, department, manager_email)",
                     validators=[FileRequired("Choose a CSV file.")])
    submit = SubmitField("Import")


class DepartmentForm(FlaskForm):
    """Add a department."""

    name = StringField("Department name", validators=[InputRequired(), Length(max=120)])
    submit = SubmitField("Add department")


class ScheduleForm(FlaskForm):
    """Set a team's survey cadence."""

    team = SelectField("Team", validators=[InputRequired()])
    cadence = SelectField("Cadence", choices=options(weekly="Weekly", fortnightly="Fortnightly",
                                                      monthly="Monthly"))
    starts = DateField("First round on", validators=[InputRequired("Pick a date.")])
    submit = SubmitField("Save schedule")


class AccountForm(FlaskForm):
    """Invite a manager or admin."""

    email = EmailField("E-mail address", validators=[InputRequired(), Length(max=254)])
    name = StringField("Name", validators=[InputRequired(), Length(max=200)])
    role = SelectField("Role", choices=options(manager="Manager", admin="Admin"))
    submit = SubmitField("Invite")


class TokenForm(FlaskForm):
    """Create an API token."""

    name = StringField("What the token is for", validators=[InputRequired(), Length(max=120)])
    scope = SelectField("Scope", choices=options(read="Read reports", ingest="Send messages"))
    submit = SubmitField("Create token")


class MessageSwitchForm(FlaskForm):
    """Switch message sampling on with a DPIA reference and the notice people will read."""

    dpia_ref = StringField("Data-protection assessment reference",
                           validators=[InputRequired(), Length(max=200)])
    notice = TextAreaField("Notice employees read before choosing",
                           validators=[InputRequired(), Length(max=20000)])
    submit = SubmitField("Switch on / publish this notice")
