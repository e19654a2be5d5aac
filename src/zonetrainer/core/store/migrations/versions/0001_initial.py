"""The first schema: athletes, sessions with their summary, samples, RR, intervals, events.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _session_fk() -> sa.ForeignKey:
    return sa.ForeignKey("sessions.id", ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "athletes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("profile_json", sa.Text, nullable=False),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("plan_name", sa.String(200), nullable=False),
        sa.Column("athlete_name", sa.String(200), nullable=False),
        sa.Column("sport", sa.String(50), nullable=False),
        sa.Column("source_id", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("writer", sa.String(300), nullable=False),
        sa.Column("profile_json", sa.Text, nullable=False),
        sa.Column("band_low_bpm", sa.Double, nullable=False),
        sa.Column("band_high_bpm", sa.Double, nullable=False),
        sa.Column("band_method", sa.String(50), nullable=False),
        sa.Column("band_source", sa.Text, nullable=False),
        sa.Column("band_uncertainty_bpm", sa.Double, nullable=False),
        sa.Column("zones_json", sa.Text, nullable=False),
        sa.Column("duration_s", sa.Double),
        sa.Column("time_in_band_s", sa.Double),
        sa.Column("band_share", sa.Double),
        sa.Column("time_in_z1_s", sa.Double),
        sa.Column("time_in_z2_s", sa.Double),
        sa.Column("time_in_z3_s", sa.Double),
        sa.Column("time_in_z4_s", sa.Double),
        sa.Column("time_in_z5_s", sa.Double),
        sa.Column("avg_hr_bpm", sa.Double),
        sa.Column("max_hr_bpm", sa.Double),
        sa.Column("sample_count", sa.Integer),
        sa.Column("work_intervals", sa.Integer),
        sa.Column("rest_intervals", sa.Integer),
    )
    op.create_index("ix_sessions_started_at", "sessions", ["started_at"])
    op.create_table(
        "samples",
        sa.Column("session_id", sa.Integer, _session_fk(), primary_key=True),
        sa.Column("idx", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("t_s", sa.Double, nullable=False),
        sa.Column("hr_bpm", sa.Double),
        sa.Column("contact", sa.Boolean),
        sa.Column("energy_kj", sa.Integer),
        sa.Column("source_id", sa.String(200)),
    )
    op.create_table(
        "rr",
        sa.Column("session_id", sa.Integer, _session_fk(), primary_key=True),
        sa.Column("sample_idx", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("t_s", sa.Double, nullable=False),
        sa.Column("rr_ms", sa.Double, nullable=False),
    )
    op.create_table(
        "intervals",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("session_id", sa.Integer, _session_fk(), nullable=False),
        sa.Column("idx", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("start_s", sa.Double, nullable=False),
        sa.Column("end_s", sa.Double, nullable=False),
        sa.Column("planned_s", sa.Double, nullable=False),
        sa.Column("end_reason", sa.String(200), nullable=False),
        sa.Column("exercise", sa.String(200)),
        sa.Column("avg_hr_bpm", sa.Double),
        sa.Column("max_hr_bpm", sa.Double),
    )
    op.create_index("ix_intervals_session_id", "intervals", ["session_id"])
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("session_id", sa.Integer, _session_fk(), nullable=False),
        sa.Column("t_s", sa.Double, nullable=False),
        sa.Column("kind", sa.String(50), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("ix_events_session_id", "events", ["session_id"])


def downgrade() -> None:
    for table in ("events", "intervals", "rr", "samples", "sessions", "athletes"):
        op.drop_table(table)
