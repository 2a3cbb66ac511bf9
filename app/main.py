"""The front page."""
from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    """Signed-in managers go to their overview; everyone else learns where to go."""
    if current_user.is_authenticated:
        return redirect(url_for("manager.overview"))
    return render_template("index.html", min_group=current_app.config["ANONYMITY_MIN_GROUP"])
