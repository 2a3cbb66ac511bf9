"""Absolute links for e-mails, built from BASE_URL so they work outside a web request (jobs, CLI)."""
from urllib.parse import urlsplit

from flask import current_app
from werkzeug.routing import IntegerConverter


def absolute_url(endpoint, **values):
    """The public address of an endpoint, e.g. for a link in an e-mail."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/",
                                       url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)


class DatabaseIdConverter(IntegerConverter):
    """`<int:…>` for database ids: ASCII digits only, no larger than a 32-bit signed integer.

    Werkzeug's own converter takes any Unicode digit ("٣" is 3) and any size, so an id past what
    the database can store reached the query and failed there with a 500; now it is a 404. Ids
    are INTEGER columns: 64-bit on SQLite but 32-bit on PostgreSQL, so the smaller bound holds.
    """

    regex = r"[0-9]+"

    def __init__(self, url_map, fixed_digits=0, min=None, max=2**31 - 1, signed=False):
        super().__init__(url_map, fixed_digits, min, max, signed)
