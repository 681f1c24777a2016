"""`python -m pointwatch`: the same as the `pointwatch` command."""

from pointwatch.cli import main

main()
