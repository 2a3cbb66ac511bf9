"""API tokens: shown once, stored as a hash, scoped, revocable."""
import hashlib
import secrets

from sqlalchemy import select

from surveys.db import immediate_transaction
from surveys.errors import TandemError
from surveys.models import ApiToken

SCOPES = ("read", "ingest")
#: Every token starts with this, so a leaked one is easy to spot in a log or a repository.
TOKEN_PREFIX = "tdm_"


def _digest(token):
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def create_api_token(session, manager, name, scope="read"):
    """Create a token acting as `manager`; returns (row, the token, shown this once)."""
    if scope not in SCOPES or not name.strip():
        raise TandemError("a token needs a name and a scope of read or ingest")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(name=name.strip()[:120], token_hash=_digest(token), manager_id=manager.id,
                   scope=scope)
    with immediate_transaction(session):
        session.add(row)
    return row, token


def revoke_api_token(session, row):
    """Stop a token working, at once."""
    with immediate_transaction(session):
        row.revoked = True


def manager_for_api_token(session, token, scope):
    """The active manager behind a valid, unrevoked token of `scope`, else None."""
    if not token or len(token) > 200:
        return None
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
    if row is None or row.revoked or row.scope != scope or not row.manager.active:
        return None
    return row.manager


def api_tokens(session):
    """Every token, newest first (hashes only; the tokens themselves are never stored)."""
    return session.scalars(select(ApiToken).order_by(ApiToken.created_at.desc())).all()
