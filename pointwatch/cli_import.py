"""Commands for import (registered on the main group by pointwatch.cli)."""

from __future__ import annotations
