"""达标有礼 fulfilment: gifts handed over, recorded in the console.

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "gift_handover",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outlet_id", sa.Integer(), nullable=False),
        sa.Column("campaign", sa.String(length=30), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("level", sa.Double(), nullable=False),
        sa.Column("handed_on", sa.Date(), nullable=False),
        sa.Column("staff_name", sa.String(length=100), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["outlet_id"], ["outlet.id"], name="fk_gift_handover_outlet_id_outlet", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_gift_handover"),
        sa.UniqueConstraint("outlet_id", "campaign", "customer_id", "level", name="uq_gift_handover_natural"),
    )


def downgrade() -> None:
    op.drop_table("gift_handover")
