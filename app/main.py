"""The front page, and the health check a proxy or load balancer polls."""
from flask import Blueprint, current_app, jsonify, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text

from app.extensions import db

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    """Signed-in managers go to their overview; everyone else learns where to go."""
    if current_user.is_authenticated:
        return redirect(url_for("manager.overview"))
    return render_template("index.html", min_group=current_app.config["ANONYMITY_MIN_GROUP"])


@bp.get("/healthz")
def health():
    """200 when this process can reach its database (a lock timeout or lost database: 503 via the
    error handlers). It reveals nothing but "ok", so it needs no sign-in."""
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok")
