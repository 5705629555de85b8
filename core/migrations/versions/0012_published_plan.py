"""The published plan kept whole: every frame a workbook is written from (plan rows with their notes, deferrals,
assignment, workload, the customers as segmented, maturity items) and the policy it was made under.

Revision ID: 0012
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "published_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outlet_id", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("policy_toml", sa.Text(), nullable=False),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["outlet_id"], ["outlet.id"], name=op.f("fk_published_plan_outlet_id_outlet"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["snapshot.id"],
            name=op.f("fk_published_plan_snapshot_id_snapshot"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_published_plan")),
        sa.UniqueConstraint("snapshot_id", "period", name="uq_published_plan_snapshot_period"),
    )
    op.create_index(op.f("ix_published_plan_snapshot_id"), "published_plan", ["snapshot_id"])
    op.create_table(
        "published_frame",
        sa.Column("published_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("dtypes", sa.JSON(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["published_id"],
            ["published_plan.id"],
            name=op.f("fk_published_frame_published_id_published_plan"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("published_id", "name", name=op.f("pk_published_frame")),
    )


def downgrade() -> None:
    op.drop_table("published_frame")
    op.drop_index(op.f("ix_published_plan_snapshot_id"), table_name="published_plan")
    op.drop_table("published_plan")
