"""No token, password or message text in any log line: every record of the run is swept."""
import logging

from app.logs import redact
from tests.log_capture import CAPTURED


def test_redaction_masks_link_and_api_tokens():
    line = '127.0.0.1 - - "GET /s/KQ2-Qa7SLGsJ_DYiJlhLIQoVIQuoMlQCYmSlK6PcNdY HTTP/1.1" 303 tdm_abcdefghijkl'
    assert redact(line) == '127.0.0.1 - - "GET /s/<redacted> HTTP/1.1" 303 tdm_<redacted>'


def test_a_logged_request_path_keeps_its_token_out(app):
    logging.getLogger("werkzeug").info('"GET /s/%s HTTP/1.1" 303', "abcdefghijklmnopqrstuvwx")
    assert any("/s/<redacted>" in message for message in CAPTURED)
    assert not any("abcdefghijklmnopqrstuvwx" in message for message in CAPTURED)
