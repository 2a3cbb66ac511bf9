"""A real browser (Debian's Chromium, driven by Playwright) against the app served over HTTP."""
import re
import shutil
import threading
from dataclasses import dataclass

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from app import create_app
from app.demo import load_demo
from app.extensions import db
from app.mail.transport import OutboxTransport
from config import TestConfig
from surveys.db import utcnow
from tests.log_capture import remember
from tests.smtp_server import free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
DEMO_PASSWORD = "demo password for tests"


@dataclass
class LiveServer:
    """Where the served demo lives, and one employee's survey link in it."""

    base: str
    survey_link: str


@pytest.fixture(scope="module")
def live_server(tmp_path_factory, migrated_database, database_server):
    """The demo organisation, served by a real threaded HTTP server on loopback."""
    folder = tmp_path_factory.mktemp("live")
    database_url = database_server.copy(migrated_database, folder)
    port = free_port()
    config = TestConfig(folder, database_url)
    config.BASE_URL = f"http://127.0.0.1:{port}"
    app = create_app(config)
    with app.app_context():
        summary = load_demo(db.session, utcnow(), OutboxTransport(config.MAIL_OUTBOX_DIR),
                            config.BASE_URL, password=DEMO_PASSWORD)
        db.session.remove()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    link = re.search(r"(http://\S+/s/(\S+))", summary)
    remember(link.group(2))  # the sweep checks the server's request log never shows it
    yield LiveServer(config.BASE_URL, link.group(1))
    server.shutdown()
    thread.join()
    with app.app_context():
        db.engine.dispose()
    database_server.drop(database_url)


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium; fails (never skips) when Chromium is missing: `make test` installs it."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, tmp_path_factory):
    """A fresh browser page; screenshots go to the run's temporary folder."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    new_page = context.new_page()
    new_page.screenshots = tmp_path_factory.getbasetemp() / "screenshots"
    new_page.screenshots.mkdir(exist_ok=True)
    yield new_page
    context.close()
