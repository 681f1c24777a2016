"""Commands registered on the main group by pointwatch.cli (in progress)."""
