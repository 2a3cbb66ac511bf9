"""Consent forms: opt in for chosen sources, or opt out (both CSRF-protected POSTs)."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField

#: Source key → how the page names it.
SOURCE_LABELS = {"slack": "Slack channels (from the workspace export)",
                 "csv": "Message files your admin imports",
                 "api": "Messages sent by connected tools"}


class GrantForm(FlaskForm):
    """Share message samples from the ticked sources."""

    slack = BooleanField(SOURCE_LABELS["slack"], default=True)
    csv = BooleanField(SOURCE_LABELS["csv"], default=True)
    api = BooleanField(SOURCE_LABELS["api"], default=True)
    submit = SubmitField("Yes, share my message samples")

    def scope(self):
        """The ticked sources."""
        return [source for source in SOURCE_LABELS if getattr(self, source).data]


class WithdrawForm(FlaskForm):
    """Stop sharing and delete what was kept."""

    submit = SubmitField("Stop sharing and delete my samples")
