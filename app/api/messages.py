"""`POST /api/v1/messages`: message samples from connected tools (token scope "ingest").

The answer says how many messages were received, never how many were kept: a split by outcome
would tell the caller which authors opted in (DESIGN §3.4).
"""
from dataclasses import asdict

from flask import current_app, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from app.api.auth import api_error, token_required
from app.api.routes import bp
from app.extensions import db
from app.tasks import enqueue, queue_configured
from app.tasks.work import import_message_batch
from surveys.db import utcnow
from surveys.errors import MalformedMessages, MessagesDisabled
from surveys.messages.ingest import prepare_import
from surveys.messages.json_source import read_messages_json
from surveys.messages.kept import keep_batch


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error):
    """Bodies over MAX_CONTENT_LENGTH get a JSON 413."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    return api_error(413, f"the body is larger than {limit} bytes; send fewer messages per request")


@bp.post("/messages")
@token_required("ingest")
def post_messages():
    """Import a JSON array or JSON lines of messages; all of them or none."""
    try:
        body = request.get_data(cache=False).decode("utf-8")
    except UnicodeDecodeError:
        return api_error(400, "the body is not UTF-8 text")
    try:
        batch = prepare_import(db.session, "api", read_messages_json(body),
                               current_app.config["MESSAGE_TEXT_RETENTION_DAYS"])
        fresh = batch.materialise()  # a malformed body fails here, before anything is queued
        _store_or_queue(fresh, asdict(batch.report))
    except MalformedMessages as error:
        response = jsonify({"error": error.reason, "location": error.location})
        response.status_code = 400
        return response
    except MessagesDisabled as error:
        return api_error(409, str(error))
    response = jsonify({"received": batch.report.received})
    # Accepted but not yet stored when a worker will do it.
    response.status_code = 202 if queue_configured(current_app.config) else 200
    return response



def _store_or_queue(fresh, counts):
    """Score and store here (no queue: one core, forking a pool in a web worker is not worth the
    risk), or keep the batch in the database and queue its id for a worker (the row, not Redis,
    is what guarantees a 202-accepted batch is stored: surveys.messages.kept)."""
    now = utcnow()
    if not queue_configured(current_app.config):
        import_message_batch("api", fresh, counts, now.isoformat())
        return
    enqueue("import_kept_batch", keep_batch(db.session, "api", fresh, counts, now))
