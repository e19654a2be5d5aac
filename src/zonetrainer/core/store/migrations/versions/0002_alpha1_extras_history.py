"""DFA alpha1 readings, per-session extras, TRIMP, and the indexes the history list needs.

Revision ID: 0002
Revises: 0001

TRIMP of sessions stored before this revision stays NULL (unknown), rather than a guess.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("trimp", sa.Double))
    op.create_index("ix_sessions_athlete_started", "sessions", ["athlete_name", "started_at"])
    op.create_index("ix_sessions_plan_started", "sessions", ["plan_name", "started_at"])
    op.create_index("ix_sessions_status", "sessions", ["status"])
    op.create_table(
        "alpha1",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("t_s", sa.Double, nullable=False),
        sa.Column("alpha1", sa.Double, nullable=False),
        sa.Column("corrected_share", sa.Double, nullable=False),
        sa.Column("beats", sa.Integer, nullable=False),
        sa.Column("hr_bpm", sa.Double, nullable=False),
        sa.Column("usable", sa.Boolean, nullable=False),
    )
    op.create_index("ix_alpha1_session_id", "alpha1", ["session_id"])
    op.create_table(
        "extras",
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("value_json", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("extras")
    op.drop_table("alpha1")
    op.drop_index("ix_sessions_status", "sessions")
    op.drop_index("ix_sessions_plan_started", "sessions")
    op.drop_index("ix_sessions_athlete_started", "sessions")
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("trimp")
