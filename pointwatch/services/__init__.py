"""Use cases: one database transaction each (the caller's), `today` passed in, never print.

One module per group of commands; the CLI calls these and hands results to the formatters.
"""
