"""One spelling of a settlement kind: "written-off" (databases written before 0.2) becomes
"written_off", in settlements, reopened settlements and the journal's row images (so that
`undo` still recognises the rows it changed).

Revision ID: pw0002
Revises: pw0001
Create Date: 2026-11-29
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "pw0002"
down_revision = "pw0001"
branch_labels = None
depends_on = None

OLD, NEW = "written-off", "written_off"
TABLES = ("settlement", "reopened_settlement")


def upgrade() -> None:
    for name in TABLES:
        table = sa.table(name, sa.column("kind", sa.String()))
        op.execute(table.update().where(table.c.kind == OLD).values(kind=NEW))
    journal = sa.table("journal", sa.column("id", sa.Integer()), sa.column("changes", sa.JSON()))
    bind = op.get_bind()
    query = sa.select(journal.c.id, journal.c.changes).where(
        sa.cast(journal.c.changes, sa.String()).like(f"%{OLD}%")
    )
    for id_, changes in bind.execute(query).all():
        if isinstance(changes, str):
            changes = json.loads(changes)
        fixed = [_respelled(change) for change in changes]
        if fixed != changes:
            bind.execute(journal.update().where(journal.c.id == id_).values(changes=fixed))


def _respelled(change: dict) -> dict:
    if change.get("table") not in TABLES:
        return change
    images = {}
    for side in ("before", "after"):
        image = change.get(side)
        if isinstance(image, dict) and image.get("kind") == OLD:
            image = {**image, "kind": NEW}
        images[side] = image
    return {**change, **{side: image for side, image in images.items() if side in change}}


def downgrade() -> None:
    pass  # releases before 0.2 read both spellings
