"""Sign-in and password forms."""
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length

from surveys.accounts import MIN_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    """E-mail address and password."""

    email = EmailField("E-mail address", validators=[InputRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=1000)])
    submit = SubmitField("Sign in")


class SetPasswordForm(FlaskForm):
    """A new password, typed twice."""

    password = PasswordField("New password", validators=[
        InputRequired(), Length(min=MIN_PASSWORD_LENGTH, max=1000,
                                message=f"Use at least {MIN_PASSWORD_LENGTH} characters.")])
    confirm = PasswordField("The same password again", validators=[
        InputRequired(), EqualTo("password", message="The two passwords differ.")])
    submit = SubmitField("Set password")
