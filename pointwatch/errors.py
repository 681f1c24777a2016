"""Project errors and exit codes. Each error carries its exit code; the CLI maps any of them to
a one-line message on stderr and that code.

This module imports nothing from the project so that every layer may use it.
"""

# Exit codes (README "Exit codes" lists them; `remind --help` too).
EXIT_OK = 0
EXIT_NEEDS_ATTENTION = 1  # only where documented: `remind --check` while an alert is open
EXIT_BAD_INPUT = 2  # bad input or usage; nothing was written
EXIT_ENVIRONMENT = 3  # the environment failed: a delivery channel, a database held too long
EXIT_INTERNAL = 70  # a bug: one line on stderr, the traceback in a log file (EX_SOFTWARE)


class PointwatchError(Exception):
    """Base of every error the CLI reports as a clean message instead of a traceback."""

    exit_code = EXIT_BAD_INPUT

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


class EnvironmentFailure(PointwatchError):
    """Something outside the input failed (a channel, a busy database); worth retrying."""

    exit_code = EXIT_ENVIRONMENT


class RunBusy(EnvironmentFailure):
    """Another run held the database for longer than the busy timeout."""


class DeliveryFailed(EnvironmentFailure):
    """A channel could not deliver; the alert stays undelivered and is retried next run."""
