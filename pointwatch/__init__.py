"""pointwatch: remember what campaigns promised you and notice when it did not arrive."""

__version__ = "0.1.0"
