"""Absolute links for e-mails, built from BASE_URL so they work outside a web request (jobs, CLI)."""
from urllib.parse import urlsplit

from flask import current_app


def absolute_url(endpoint, **values):
    """The public address of an endpoint, e.g. for a link in an e-mail."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/",
                                       url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)
