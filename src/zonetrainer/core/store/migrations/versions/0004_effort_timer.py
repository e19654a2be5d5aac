"""Effort readings (speed or power, issue 13), each interval's mean effort and target, and the
timer (moving) time of sessions and intervals apart from their elapsed time (issue 16).

Revision ID: 0004
Revises: 0003

Columns are added in place (no batch rebuild: rebuilding ``sessions`` on SQLite would drop the
old table, and its cascade would delete every sample). Timer times of sessions stored before
this revision stay NULL: the exporters then take the elapsed time less the recorded pauses.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sessions", sa.Column("timer_s", sa.Double))
    for column in (sa.Column("avg_effort", sa.Double), sa.Column("avg_target_effort", sa.Double),
                   sa.Column("effort_unit", sa.String(10)), sa.Column("timer_s", sa.Double)):
        op.add_column("intervals", column)
    op.create_table(
        "efforts",
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("idx", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("t_s", sa.Double, nullable=False),
        sa.Column("value", sa.Double),
        sa.Column("target", sa.Double),
        sa.Column("unit", sa.String(10), nullable=False),
        sa.Column("incline_pct", sa.Double),
        sa.Column("cadence_rpm", sa.Double),
        sa.Column("source_id", sa.String(200)),
    )


def downgrade() -> None:
    op.drop_table("efforts")
    for name in ("timer_s", "effort_unit", "avg_target_effort", "avg_effort"):
        op.drop_column("intervals", name)
    op.drop_column("sessions", "timer_s")
