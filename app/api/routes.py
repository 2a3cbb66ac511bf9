"""Read endpoints: teams, panel, signals, interventions — scoped to the token's manager."""
from flask import Blueprint, g, jsonify

from analysis.interventions.catalogue import shipped_catalogue
from app.api.auth import api_error, token_required
from app.extensions import csrf, db, limiter
from surveys.accounts import visible_teams
from surveys.interventions import ranked_for
from surveys.models import StoredSignal
from surveys.rollup import stored_panel_rows
from surveys.signals import open_signals

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # no cookies here: every request carries its own bearer token
#: Requests per client address to the whole API.
API_LIMIT = "600 per minute"
limiter.limit(API_LIMIT)(bp)


def _visible_slugs():
    return {team.slug for team in visible_teams(db.session, g.api_manager)}


@bp.errorhandler(404)
def not_found(_error):
    """404s from the API are JSON too."""
    return api_error(404, "not found")


@bp.errorhandler(429)
def too_many(error):
    """Rate-limited API calls get JSON and the standard Retry-After header."""
    response = api_error(429, f"too many requests: {error.description}")
    response.headers.update((k, v) for k, v in error.get_headers() if k.lower() != "content-type")
    return response


@bp.get("/teams")
@token_required("read")
def teams():
    """The teams this token may see."""
    return jsonify([{"slug": t.slug, "name": t.name, "department": t.department.slug}
                    for t in visible_teams(db.session, g.api_manager)])


@bp.get("/teams/<slug>/panel")
@token_required("read")
def panel(slug):
    """A team's panel rows (only cells at or above the group minimum exist)."""
    if slug not in _visible_slugs():
        return api_error(404, "no such team")
    rows = stored_panel_rows(db.session, teams=[slug])
    return jsonify([row._asdict() for row in rows])


@bp.get("/signals")
@token_required("read")
def signals():
    """Open signals on the token's teams."""
    return jsonify([_signal_json(s) for s in open_signals(db.session, _visible_slugs())])


@bp.get("/signals/<int:signal_id>")
@token_required("read")
def signal(signal_id):
    """One signal with its ranked interventions."""
    found = db.session.get(StoredSignal, signal_id)
    if found is None or not set(found.teams) & _visible_slugs():
        return api_error(404, "no such signal")
    ranked = [{"id": item.id, "title": item.title, "score": score, "reason": reason}
              for item, score, reason in ranked_for(found)]
    return jsonify({**_signal_json(found), "ranked_interventions": ranked})


@bp.get("/interventions")
@token_required("read")
def interventions():
    """The intervention catalogue."""
    return jsonify([item.__dict__ for item in shipped_catalogue()])


def _signal_json(signal):
    return {"id": signal.id, "kind": signal.kind, "teams": signal.teams, "metric": signal.metric,
            "week": signal.week, "first_week": signal.first_week, "severity": signal.severity,
            "confidence": signal.confidence, "evidence": signal.evidence,
            "interventions": signal.interventions, "state": signal.state.value,
            "trend": signal.trend}

