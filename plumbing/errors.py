"""Domain errors. The API's exception handler (plumbing/api_errors.py) maps each family to
an HTTP status; pages show the message. Messages are for people: keep them translatable."""


class DomainError(Exception):
    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Conflict(DomainError):
    """The request is valid but clashes with the current state (HTTP 409)."""

    code = "conflict"


class IllegalTransition(Conflict):
    code = "illegal_transition"


class StageConflict(Conflict):
    """The lead is no longer in the stage the caller expected: someone moved it meanwhile."""

    code = "stage_conflict"


class TransitionRefused(Conflict):
    """A guard registered by another app refused the move; the message says why."""

    code = "transition_refused"


class NotPermitted(DomainError):
    """The actor's role may not do this (HTTP 403)."""

    code = "permission_denied"


class InvalidInput(DomainError):
    """Input that fails a business rule, with the fields at fault (HTTP 400)."""

    code = "invalid"

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items()))
        self.errors = errors
