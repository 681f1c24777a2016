"""Alert tables and their queries: one row per alert key, one row per delivery attempt.

An alert row is created the first time the daily run raises its key and is kept afterwards:
resolved when its condition clears, reopened if it comes back. A delivery row records one
attempt on one channel, successful or not; an alert counts as delivered only once every
configured channel took it (`AlertRow.delivered_at`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Index, bindparam, func, select, update
from sqlmodel import Field, Session, SQLModel

from pointwatch.domain.alerts import DeliveryState
from pointwatch.errors import NotFound
from pointwatch.i18n import _
from pointwatch.store.convert import day_of, moment_of
from pointwatch.store.tables import RunRow


class AlertRow(SQLModel, table=True):
    __tablename__ = "alert"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    kind: str
    # No foreign key: re-deriving an enrollment may delete an expectation, and its alert
    # history (and the fact that it was delivered) should outlive it.
    expectation_id: str = Field(index=True)
    title: str
    body: str
    facts: str
    since: date  # when the condition began (late since, statement fixed on, deadline)
    raised_at: datetime  # first raised (or reopened)
    resolved_at: datetime | None = None
    delivered_at: datetime | None = None
    delivered_facts: str | None = None
    pending_since: datetime | None = None
    acked_at: datetime | None = None
    snoozed_until: datetime | None = None
    ack_facts: str | None = None

    def state(self) -> DeliveryState:
        return DeliveryState(
            delivered_at=self.delivered_at,
            delivered_facts=self.delivered_facts,
            pending_since=self.pending_since,
            acked_at=self.acked_at,
            snoozed_until=self.snoozed_until,
            ack_facts=self.ack_facts,
        )


class DeliveryRow(SQLModel, table=True):
    """One attempt to deliver one alert on one channel."""

    __tablename__ = "alert_delivery"
    __table_args__ = (Index("ix_alert_delivery_alert_at", "alert_id", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    alert_id: int = Field(foreign_key="alert.id")
    channel: str
    at: datetime
    ok: bool
    facts: str
    error: str = ""


ALERT = AlertRow.__table__
DELIVERY = DeliveryRow.__table__
RUN = RunRow.__table__
CHUNK = 500  # ids or keys per IN (...) list


def load_alerts(session: Session, include_resolved: bool = True) -> list[AlertRow]:
    """Alerts ordered by id (oldest first)."""
    query = select(AlertRow).order_by(ALERT.c.id)
    if not include_resolved:
        query = query.where(ALERT.c.resolved_at.is_(None))
    return list(session.execute(query).scalars())


@dataclass(frozen=True)
class StoredAlert:
    """An alert row as plain values (the daily run reads thousands; ORM objects cost more)."""

    id: int
    key: str
    title: str
    body: str
    facts: str
    since: date
    raised_at: datetime
    resolved_at: datetime | None
    state: DeliveryState


_STATE_COLUMNS = (
    "delivered_at", "delivered_facts", "pending_since", "acked_at", "snoozed_until", "ack_facts",
)  # fmt: skip


def stored_alerts(session: Session) -> dict[str, StoredAlert]:
    """Every alert by key, as plain values."""
    columns = (
        "id", "key", "title", "body", "facts", "since", "raised_at", "resolved_at", *_STATE_COLUMNS,
    )  # fmt: skip
    query = select(*(ALERT.c[name] for name in columns))
    # Driver rows, converted here: SQLAlchemy's per-value processing costs more than the query
    # on the thousands of alerts a large database keeps.
    result = session.connection().execute(query)
    try:
        rows = result.cursor.fetchall()
    finally:
        result.close()
    found = {}
    for id_, key, title, body, facts, since, raised, resolved, *state in rows:
        found[key] = StoredAlert(
            id_, key, title, body, facts, day_of(since), moment_of(raised), moment_of(resolved),
            DeliveryState(
                moment_of(state[0]), state[1], moment_of(state[2]), moment_of(state[3]),
                moment_of(state[4]), state[5],
            ),
        )  # fmt: skip
    return found


def alerts_by_keys(session: Session, keys: list[str]) -> list[AlertRow]:
    found: list[AlertRow] = []
    for start in range(0, len(keys), CHUNK):
        query = select(AlertRow).where(ALERT.c.key.in_(keys[start : start + CHUNK]))
        found.extend(session.execute(query).scalars())
    return found


def insert_alerts(session: Session, rows: list[dict]) -> dict[str, int]:
    """Insert new alerts in one statement; returns key → id."""
    if not rows:
        return {}
    session.execute(ALERT.insert(), rows)
    keys = [row["key"] for row in rows]
    ids: dict[str, int] = {}
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        query = select(ALERT.c.key, ALERT.c.id).where(ALERT.c.key.in_(chunk))
        ids.update({key: id_ for key, id_ in session.execute(query)})
    return ids


def get_alert(session: Session, reference: str) -> AlertRow:
    """An alert by its number (as `pointwatch alerts` shows it) or by its key."""
    row = None
    if reference.strip().isdigit():
        row = session.get(AlertRow, int(reference.strip()))
    if row is None:
        query = select(AlertRow).where(ALERT.c.key == reference.strip())
        row = session.execute(query).scalars().first()
    if row is None:
        raise NotFound(
            _(
                "alert {reference!r} not found (see `pointwatch alerts --all` for numbers and keys)"
            ).format(reference=reference)
        )
    return row


def channels_done(
    session: Session, alerts: dict[int, tuple[datetime, str]]
) -> set[tuple[int, str]]:
    """(alert id, channel) pairs that already took the alert in its current delivery round.

    `alerts` maps alert id → (round start, facts); only successes with those facts count.
    """
    if not alerts:
        return set()
    ids = list(alerts)
    done = set()
    for start in range(0, len(ids), CHUNK):
        query = select(DELIVERY.c.alert_id, DELIVERY.c.channel, DELIVERY.c.at, DELIVERY.c.facts)
        query = query.where(
            DELIVERY.c.ok.is_(True), DELIVERY.c.alert_id.in_(ids[start : start + CHUNK])
        )
        for alert_id, channel, at, facts in session.execute(query):
            since, current = alerts[alert_id]
            if at >= since and facts == current:
                done.add((alert_id, channel))
    return done


def add_deliveries(session: Session, rows: list[dict]) -> None:
    """Insert delivery attempts in one statement (keys: alert_id, channel, at, ok, facts, error)."""
    if rows:
        session.execute(DELIVERY.insert(), rows)


def update_alerts(session: Session, changes: list[dict]) -> None:
    """Apply column changes to alerts in bulk; each dict holds `id` and the new values."""
    by_columns: dict[tuple[str, ...], list[dict]] = {}
    for change in changes:
        columns = tuple(sorted(key for key in change if key != "id"))
        by_columns.setdefault(columns, []).append(change)
    for columns, group in by_columns.items():
        statement = (
            update(ALERT)
            .where(ALERT.c.id == bindparam("alert_id"))
            .values({column: bindparam(column) for column in columns})
        )
        session.connection().execute(
            statement,
            [{"alert_id": c["id"], **{k: c[k] for k in columns}} for c in group],
        )


def last_successful_run(session: Session) -> datetime | None:
    """When the last daily run that delivered everything started (None: never)."""
    query = select(func.max(RUN.c.started_at)).where(RUN.c.ok.is_(True))
    return session.execute(query).scalar()
