"""The front page."""
from flask import Blueprint, current_app, render_template

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    """What Tandem is and where each kind of user goes."""
    return render_template("index.html", min_group=current_app.config["ANONYMITY_MIN_GROUP"])
