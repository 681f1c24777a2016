"""Project errors. Each carries its exit code; the CLI maps any of them to a one-line message.

This module imports nothing from the project so that every layer may use it.
"""


class PointwatchError(Exception):
    """Base of every error the CLI reports as a clean message instead of a traceback."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(PointwatchError):
    """Bad input or usage: the command wrote nothing."""


class InvalidValue(InputError, ValueError):
    """A value that cannot be accepted (a date, an amount, a cycle); raised by the pure domain."""


class NotFound(InputError):
    """A named thing (campaign, account, enrollment, expectation, alert) does not exist."""


class Conflict(InputError):
    """The command contradicts what is stored (a duplicate id, settling twice)."""


class DefinitionError(InputError):
    """One or more problems in a campaign/profile file, all reported together."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))
