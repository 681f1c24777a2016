"""Alembic environment: runs on the connection `store/schema.py` passes in (inside its
transaction, holding the write lock), or, for developers generating a revision, on the
database named by `-x db=URL`."""

from alembic import context
from sqlmodel import SQLModel

import pointwatch.store.journal  # noqa: F401  (imports every table module)


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        from sqlalchemy import create_engine

        url = context.get_x_argument(as_dictionary=True).get("db")
        if not url:
            raise SystemExit("give the database: alembic ... -x db=sqlite:///scratch.db ...")
        with create_engine(url).connect() as own:
            _migrate(own)
            own.commit()
        return
    _migrate(connection)


def _migrate(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
