"""E-mailing managers the link that lets them choose a password."""
from flask import current_app

from app.auth.tokens import set_password_token
from app.extensions import db
from app.mail.messages import build_message
from app.mail.transport import transport_from_config
from app.urls import absolute_url
from surveys.outgoing import deliver


def send_set_password_link(manager, now):
    """Send (once per account version) the invitation or reset link to set a password."""
    link = absolute_url("auth.set_password_page", token=set_password_token(manager))

    def compose(_mail):
        return build_message(manager.email, "Your Tandem account", "account",
                             manager=manager, link=link)

    key = f"account:{manager.id}:{manager.session_version}"
    return deliver(db.session, key, "account", manager.email, compose,
                   transport_from_config(current_app.config), now)
