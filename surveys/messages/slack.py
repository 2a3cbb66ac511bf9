"""Reading a standard Slack workspace export, one day file at a time.

An export is a folder or a zip with `users.json`, `channels.json` and one folder per channel of
`YYYY-MM-DD.json` files. Authors are matched by the e-mail in their Slack profile. Only public
channels listed in `channels.json` are read (never direct messages), and only messages people
wrote (joins, bots and other system events are skipped). Other files are ignored.
"""
import datetime as dt
import json
import re
import zipfile
from pathlib import Path, PurePosixPath

from surveys.errors import MalformedMessages
from surveys.messages.records import build_message

DAY_FILE = re.compile(r"^\d{4}-\d{2}-\d{2}\.json$")
#: A day file larger than this is refused rather than read into memory.
MAX_DAY_FILE = 64 * 1024 * 1024
#: Subtypes that are still a person writing; every other subtype is a system event.
PERSON_SUBTYPES = (None, "thread_broadcast", "me_message")


class SlackExport:
    """A Slack export in a folder or a zip; yields day files as (location, parsed JSON)."""

    def __init__(self, path):
        self.path = Path(path)
        if self.path.is_dir():
            self._zip, self._names = None, None
        elif zipfile.is_zipfile(self.path):
            self._zip = zipfile.ZipFile(self.path)
            self._names = {info.filename: info for info in self._zip.infolist()}
        else:
            raise MalformedMessages(self.path.name, "not a folder or a zip file")
        self.root = self._find_root()

    def close(self):
        """Close the zip file, if any."""
        if self._zip is not None:
            self._zip.close()

    def _find_root(self):
        # Zips made by re-compressing the export folder put everything one level down.
        if self._zip is None or "users.json" in self._names:
            return ""
        roots = {n.split("/")[0] for n in self._names if n.endswith("/users.json") and n.count("/") == 1}
        return f"{roots.pop()}/" if len(roots) == 1 else ""

    def files(self, folder):
        """Names of the day files in a channel folder, oldest first."""
        if self._zip is None:
            directory = self.path / folder
            return sorted(p.name for p in directory.iterdir() if DAY_FILE.match(p.name)) \
                if directory.is_dir() else []
        prefix = f"{self.root}{folder}/"
        return sorted(PurePosixPath(n).name for n in self._names
                      if n.startswith(prefix) and n.count("/") == prefix.count("/")
                      and DAY_FILE.match(PurePosixPath(n).name))

    def load(self, name):
        """The parsed JSON of a file, or MalformedMessages naming the file and the fault."""
        raw = self._read(name)
        try:
            return json.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise MalformedMessages(name, "not UTF-8 text") from None
        except json.JSONDecodeError as error:
            raise MalformedMessages(name, f"not valid JSON (line {error.lineno}, column "
                                          f"{error.colno})") from None

    def _read(self, name):
        if self._zip is None:
            file = self.path / name
            if not file.is_file():
                raise MalformedMessages(name, "missing from the export")
            if file.stat().st_size > MAX_DAY_FILE:
                raise MalformedMessages(name, "file too large")
            return file.read_bytes()
        info = self._names.get(self.root + name)
        if info is None:
            raise MalformedMessages(name, "missing from the export")
        if info.file_size > MAX_DAY_FILE:
            raise MalformedMessages(name, "file too large")
        try:
            return self._zip.read(info)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as error:
            raise MalformedMessages(name, f"cannot be read from the zip ({type(error).__name__})") from None


def read_slack_export(path):
    """Yield RawMessages from a Slack export, and None for each system event skipped."""
    export = SlackExport(path)
    try:
        emails = _user_emails(export.load("users.json"))
        for channel_id, name in _channels(export.load("channels.json")):
            for day in export.files(name):
                yield from _day_messages(export, f"{name}/{day}", channel_id, emails)
    finally:
        export.close()


def _user_emails(users):
    if not isinstance(users, list):
        raise MalformedMessages("users.json", "expected a list of users")
    emails = {}
    for index, user in enumerate(users, start=1):
        if not isinstance(user, dict) or not isinstance(user.get("id"), str):
            raise MalformedMessages(f"users.json: user {index}", "has no id")
        profile = user.get("profile") if isinstance(user.get("profile"), dict) else {}
        email = profile.get("email")
        if isinstance(email, str) and "@" in email:
            emails[user["id"]] = email.strip().lower()
    return emails


def _channels(channels):
    if not isinstance(channels, list):
        raise MalformedMessages("channels.json", "expected a list of channels")
    found = []
    for index, channel in enumerate(channels, start=1):
        if not isinstance(channel, dict) or not all(
                isinstance(channel.get(k), str) and channel.get(k) for k in ("id", "name")):
            raise MalformedMessages(f"channels.json: channel {index}", "needs an id and a name")
        if "/" in channel["name"] or channel["name"] in (".", ".."):
            raise MalformedMessages(f"channels.json: channel {index}", "has an unusable name")
        found.append((channel["id"], channel["name"]))
    return found


def _day_messages(export, name, channel_id, emails):
    messages = export.load(name)
    if not isinstance(messages, list):
        raise MalformedMessages(name, "expected a list of messages")
    for index, message in enumerate(messages, start=1):
        location = f"{name}: message {index}"
        if not isinstance(message, dict):
            raise MalformedMessages(location, "is not an object")
        user = message.get("user")
        if message.get("subtype") not in PERSON_SUBTYPES or not isinstance(user, str) or not user:
            yield None
            continue
        yield _message(location, message, channel_id, emails)


def _message(location, message, channel_id, emails):
    ts = message.get("ts")
    try:
        sent_at = dt.datetime.fromtimestamp(float(ts), dt.timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        raise MalformedMessages(location, "has no valid ts") from None
    # A user missing from users.json (or without an e-mail) cannot have consented.
    author = emails.get(message["user"], f"unknown:{message['user']}@slack.invalid")
    return build_message(location, f"{channel_id}:{ts}", author, sent_at, message.get("text") or "")
