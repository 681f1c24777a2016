"""No password in the journal: releases before this one kept each change's command line as
typed, so a `--db postgresql://user:password@host/...` on the command line was stored (and
shown by `pointwatch log`). The password part of every URL in a stored command line becomes
"***", as new command lines are kept.

Revision ID: pw0003
Revises: pw0002
Create Date: 2026-11-29
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "pw0003"
down_revision = "pw0002"
branch_labels = None
depends_on = None

# The same rule as pointwatch.crash.scrub, spelled out: a revision never changes afterwards.
_URL_PASSWORD = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")


def upgrade() -> None:
    journal = sa.table("journal", sa.column("id", sa.Integer()), sa.column("command", sa.String()))
    bind = op.get_bind()
    query = sa.select(journal.c.id, journal.c.command).where(journal.c.command.like("%://%@%"))
    for id_, command in bind.execute(query).all():
        scrubbed = _URL_PASSWORD.sub(r"\1***@", command)
        if scrubbed != command:
            bind.execute(journal.update().where(journal.c.id == id_).values(command=scrubbed))


def downgrade() -> None:
    pass  # the passwords are gone for good
