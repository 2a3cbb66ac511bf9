"""The preferences form."""
from zoneinfo import available_timezones

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class PreferencesForm(FlaskForm):
    """When and whether the digest and alerts arrive."""

    digest_enabled = BooleanField("Send me the weekly digest")
    digest_weekday = SelectField("Day", coerce=int,
                                 choices=[SelectChoice(str(i), d) for i, d in enumerate(WEEKDAYS)])
    digest_hour = SelectField("Hour", coerce=int,
                              choices=[SelectChoice(str(h), f"{h:02d}:00") for h in range(24)])
    timezone = SelectField("Time zone", validators=[InputRequired()],
                           choices=[SelectChoice(z) for z in sorted(available_timezones())])
    quiet_week_emails = BooleanField("Also e-mail me in weeks with nothing new")
    same_day_alerts = BooleanField("E-mail me the same day when a high-severity signal appears")
    submit = SubmitField("Save")
