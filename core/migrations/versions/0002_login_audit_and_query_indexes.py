"""Login bookkeeping on accounts (failed attempts, last login) and the indexes the console's queries use.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_audit_log_at", "audit_log", ["at"]),
    ("ix_audit_log_username", "audit_log", ["username"]),
    ("ix_snapshot_rejection_snapshot_id", "snapshot_rejection", ["snapshot_id"]),
    ("ix_maturity_item_snapshot_id", "maturity_item", ["snapshot_id"]),
    ("ix_plan_item_snapshot_id", "plan_item", ["snapshot_id"]),
    ("ix_plan_item_outlet_period", "plan_item", ["outlet_id", "period"]),
    ("ix_contact_outlet_date", "contact", ["outlet_id", "contact_date"]),
    ("ix_contact_outlet_customer", "contact", ["outlet_id", "customer_id"]),
)


def upgrade() -> None:
    # Existing accounts start with no failed attempts: the server default fills the NOT NULL column.
    op.add_column(
        "user_account", sa.Column("failed_logins", sa.Integer(), server_default=sa.text("0"), nullable=False)
    )
    op.add_column("user_account", sa.Column("last_login_at", sa.DateTime(), nullable=True))
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("last_login_at")
        batch.drop_column("failed_logins")
