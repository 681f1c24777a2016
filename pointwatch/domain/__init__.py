"""The pure core: no I/O, no clock, no database, no printing. "Today" is always passed in."""
