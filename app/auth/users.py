"""The signed-in manager as Flask-Login sees it, and the checks every page makes."""
from functools import wraps

from flask import abort
from flask_login import LoginManager, current_user

from app.extensions import db
from surveys.models import Manager

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to see this page."
login_manager.session_protection = "strong"


class SignedInManager:
    """Wraps a Manager for Flask-Login; the session id carries the session version."""

    is_authenticated, is_active, is_anonymous = True, True, False

    def __init__(self, manager):
        self.manager = manager

    def __getattr__(self, name):
        return getattr(self.manager, name)

    def get_id(self):
        """"id:version": a session made before the last logout or password change no longer loads."""
        return f"{self.manager.id}:{self.manager.session_version}"

    @property
    def is_admin(self):
        """Whether this account sees and manages everything."""
        return self.manager.role == "admin"


@login_manager.user_loader
def load_manager(session_id):
    """The manager behind a session, or None when the session is stale or the account inactive."""
    manager_id, _, version = session_id.partition(":")
    if not manager_id.isdigit() or not version.isdigit():
        return None
    manager = db.session.get(Manager, int(manager_id))
    if manager is None or not manager.active or manager.session_version != int(version):
        return None
    return SignedInManager(manager)


def admin_required(view):
    """Only admins; anyone else gets 404, as if the page did not exist."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated or not current_user.is_admin:
            abort(404)
        return view(*args, **kwargs)
    return wrapped


def init_login(app):
    """Bind Flask-Login to `app`."""
    login_manager.init_app(app)
