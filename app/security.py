"""Security headers on every response, and refusal of text no database column can hold."""
from flask import abort, jsonify, render_template, request
from flask_login import current_user

#: PostgreSQL cannot store NUL in text, and no person types one: a request carrying it is refused
#: whole, before any view runs, so both engines behave alike and nothing is half-written.
NUL_MESSAGE = "Text cannot contain NUL characters (\\u0000). Nothing was saved."

CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; "
                           "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                           "form-action 'self'; frame-ancestors 'none'")


def add_security_headers(response):
    """CSP without inline script, no sniffing, no framing; no caching of signed-in pages."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    # A page that forbids storing already (every survey page does) needs no look-up of who is
    # signed in, which would otherwise cost each survey request a user load.
    if response.headers.get("Cache-Control") != "no-store" and current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"
    return response


def refuse_nul_characters():
    """Refuse a request carrying a NUL character before any view runs.

    In the address: 404 (no page has one). In the query, the form fields or a JSON body: 400
    with the reason. Uploaded files are left to their importers, which report the bad line.
    """
    if "\x00" in request.path:
        abort(404)
    if not _input_carries_nul():
        return None
    if request.path.startswith("/api/"):
        return jsonify({"error": NUL_MESSAGE}), 400
    return render_template("errors/error.html", status=400, message=NUL_MESSAGE), 400


def _input_carries_nul():
    sources = [request.args] if request.is_json else [request.args, request.form]
    for fields in sources:
        for key, values in fields.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return True
    body = request.get_data(cache=True) if request.is_json else b""
    return b"\x00" in body or b"\\u0000" in body


def init_app(app):
    """Attach the headers to every response of `app`, and the NUL check to every request."""
    app.before_request(refuse_nul_characters)
    app.after_request(add_security_headers)
