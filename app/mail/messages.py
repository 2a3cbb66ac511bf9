"""The e-mails people receive, rendered from templates as a text part and an HTML part."""
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import formatdate, make_msgid

from flask import current_app, render_template

from app.mail.unsubscribe import add_unsubscribe_headers, unsubscribe_url
from app.urls import absolute_url


def build_message(recipient, subject, template, **context):
    """An EmailMessage with text and HTML parts rendered from `mail/<template>.txt|.html`."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="tandem.local")
    message.set_content(render_template(f"mail/{template}.txt", **context))
    message.add_alternative(render_template(f"mail/{template}.html", **context), subtype="html")
    # Headers are written out with RFC 5322's line limit rather than the 78-character one: at
    # 78, the one-click List-Unsubscribe link (one long word) was turned into RFC 2047 encoded
    # words, which mail clients do not decode in that header, so the link did not work. The
    # parts above were encoded under the default policy and keep their encodings.
    message.policy = HEADER_POLICY
    return message


#: The default e-mail policy, folding header lines only past 998 characters.
HEADER_POLICY = default_policy.clone(max_line_length=998)


def survey_link(token):
    """The absolute address of a survey link for `token`."""
    return absolute_url("survey.exchange", token=token)


def invitation_message(member, survey_round, token, reminder_kind=None):
    """The invitation (or, with `reminder_kind`, the reminder) e-mail for one member."""
    closes = survey_round.closes_at.strftime("%A %d %B")
    subject = ("Reminder: your two-minute team pulse closes " + closes if reminder_kind
               else "Your two-minute team pulse is open")
    unsubscribe = unsubscribe_url("reminders", member.id) if reminder_kind else None
    message = build_message(member.email, subject, "invitation", member=member,
                            survey_round=survey_round, link=survey_link(token), closes=closes,
                            reminder=reminder_kind is not None, unsubscribe=unsubscribe,
                            min_group=current_app.config["ANONYMITY_MIN_GROUP"])
    if reminder_kind:
        add_unsubscribe_headers(message, "reminders", member.id)
    return message
