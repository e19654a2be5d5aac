"""The local calendar day of each session, so weekly and monthly totals group in SQL.

Revision ID: 0003
Revises: 0002

Existing sessions get the day of their start in the time zone of the machine that migrates.
The column stays nullable: making it NOT NULL would make SQLite rebuild the sessions table,
and dropping the old table would cascade-delete every sample.
"""

from __future__ import annotations

from datetime import UTC

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sessions", sa.Column("local_date", sa.Date))
    sessions = sa.table("sessions", sa.column("id", sa.Integer),
                        sa.column("started_at", sa.DateTime), sa.column("local_date", sa.Date))
    conn = op.get_bind()
    days = [{"sid": sid, "day": started.replace(tzinfo=UTC).astimezone().date()}
            for sid, started in conn.execute(sa.select(sessions.c.id, sessions.c.started_at))]
    if days:
        conn.execute(sa.update(sessions).where(sessions.c.id == sa.bindparam("sid"))
                     .values(local_date=sa.bindparam("day")), days)
    op.create_index("ix_sessions_local_date", "sessions", ["local_date"])


def downgrade() -> None:
    op.drop_index("ix_sessions_local_date", "sessions")
    op.drop_column("sessions", "local_date")
