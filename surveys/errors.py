"""Named domain errors: what went wrong, in words a user can act on."""


class TandemError(Exception):
    """Base class for errors the user can be told about."""


class ImportRowError(TandemError):
    """A file failed validation; `problems` lists (line number, reason) for every bad line."""

    def __init__(self, problems):
        self.problems = list(problems)
        lines = "; ".join(f"line {line}: {reason}" for line, reason in self.problems[:20])
        more = f" (and {len(self.problems) - 20} more)" if len(self.problems) > 20 else ""
        super().__init__(f"{len(self.problems)} bad line(s), nothing imported: {lines}{more}")


class InvalidTransition(TandemError):
    """A round was asked to move to a state it cannot reach from where it is."""


class LinkError(TandemError):
    """A survey link cannot be used; subclasses say why."""

    status = 404
    message = "This survey link is not valid."


class LinkUnknown(LinkError):
    """No invitation has this token (mistyped, tampered or invented)."""


class LinkUsed(LinkError):
    """The invitation was already answered."""

    status = 410
    message = "This survey has already been answered with this link. Thank you!"


class LinkExpired(LinkError):
    """The round is closed or the person is no longer active."""

    status = 410
    message = "This survey round has closed, so the link no longer works."


class InvalidAnswers(TandemError):
    """Submitted answers do not fit the round's items."""


class MessagesDisabled(TandemError):
    """Message sampling is switched off, so nothing may be imported or consented to."""


class MalformedMessages(TandemError):
    """A message file, line or item cannot be read; `location` says where. Nothing was imported."""

    def __init__(self, location, reason):
        self.location, self.reason = location, reason
        super().__init__(f"{location}: {reason}")
