"""Per-outlet settings (the remembered column mapping of an outlet's exports, ...).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outlet_setting",
        sa.Column("outlet_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=50), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["outlet_id"], ["outlet.id"], name="fk_outlet_setting_outlet_id_outlet", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("outlet_id", "key", name="pk_outlet_setting"),
    )


def downgrade() -> None:
    op.drop_table("outlet_setting")
