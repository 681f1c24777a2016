"""Alembic migrations of the pointwatch schema, shipped inside the package and run
programmatically (no alembic.ini needed by users): `store/schema.py` opens a database, and
upgrades it when it is older than `HEAD`.

Adding a schema change:
1. change the SQLModel tables;
2. build a small database with the current release and add it under tests/data/databases/
   (see its README): every schema change keeps such a file, and a test upgrades each one;
3. write the revision (explicit `op` calls, never `metadata.create_all`), e.g. generated with
   `alembic -c pointwatch/store/migrations/alembic.ini -x db=sqlite:///scratch.db revision
   --autogenerate --rev-id pw0003 -m "what changed"` against a scratch database at the
   previous head, and review it by hand (ids are `pwNNNN`: an id no other program's
   `alembic_version` is likely to hold);
4. set `HEAD` below to its id (a test checks that it is the scripts' head).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

# The newest revision: an opened database at this revision needs no migration, which is
# checked without importing Alembic (commands stay fast).
HEAD = "pw0004"

FOLDER = Path(__file__).parent


def alembic_config(connection: Any = None) -> Any:
    """An Alembic Config for the shipped scripts, bound to `connection` if given."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(FOLDER))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def known_revisions() -> set[str]:
    """Every revision id this release's scripts know."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    return {script.revision for script in scripts.walk_revisions()}


def script_head() -> str:
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    (head,) = heads  # one line of history: never branches
    return head


def upgrade(connection: Any, target: str = "head") -> None:
    """Run the migrations up to `target` on `connection`, inside the caller's transaction."""
    from alembic import command

    command.upgrade(alembic_config(connection), target)
