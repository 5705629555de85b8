"""Base schema: outlets, staff, accounts, policy versions, snapshots and their customers, plans, contacts, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "outlet",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_outlet"),
        sa.UniqueConstraint("name", name="uq_outlet_name"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=50), nullable=False),
        sa.Column("outlet", sa.String(length=100), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outlet_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=50), nullable=False),
        sa.Column("capacity_per_week", sa.Double(), nullable=True),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        _fk("staff", "outlet_id", "outlet", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_staff"),
        sa.UniqueConstraint("outlet_id", "name", name="uq_staff_outlet_name"),
    )
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("outlet_id", sa.Integer(), nullable=True),
        sa.Column("staff_name", sa.String(length=100), nullable=True),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("role IN ('admin', 'branch_head', 'staff')", name="ck_user_account_role"),
        _fk("user_account", "outlet_id", "outlet", "RESTRICT"),
        sa.PrimaryKeyConstraint("id", name="pk_user_account"),
        sa.UniqueConstraint("username", name="uq_user_account_username"),
    )
    op.create_table(
        "policy_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outlet_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("toml", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _fk("policy_version", "outlet_id", "outlet", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_policy_version"),
    )
    scope = sa.literal_column("coalesce(outlet_id, 0)")
    op.create_index("uq_policy_version_scope_version", "policy_version", [scope, "version"], unique=True)
    op.create_index(
        "uq_policy_version_scope_active",
        "policy_version",
        [scope],
        unique=True,
        sqlite_where=sa.text("active"),
        postgresql_where=sa.text("active"),
    )
    op.create_table(
        "snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outlet_id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.Column("customers", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("maturity_files", sa.JSON(), nullable=True),
        _fk("snapshot", "outlet_id", "outlet", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_snapshot"),
        sa.UniqueConstraint("outlet_id", "as_of", name="uq_snapshot_outlet_as_of"),
        sa.UniqueConstraint("outlet_id", "sha256", name="uq_snapshot_outlet_sha256"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "snapshot_customer",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=True),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column("outlet", sa.String(length=100), nullable=True),
        sa.Column("assets", sa.Double(), nullable=False),
        sa.Column("maturity_date", sa.Date(), nullable=True),
        sa.Column("birthday", sa.Date(), nullable=True),
        sa.Column("manager", sa.String(length=100), nullable=True),
        sa.Column("familiarity", sa.Integer(), nullable=True),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.Column("accounts", sa.Integer(), nullable=True),
        _fk("snapshot_customer", "snapshot_id", "snapshot", "CASCADE"),
        sa.PrimaryKeyConstraint("snapshot_id", "customer_id", name="pk_snapshot_customer"),
    )
    op.create_table(
        "snapshot_rejection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("row", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("column", sa.String(length=100), nullable=True),
        sa.Column("file", sa.String(length=255), nullable=True),
        _fk("snapshot_rejection", "snapshot_id", "snapshot", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_snapshot_rejection"),
    )
    op.create_table(
        "maturity_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=True),
        sa.Column("product", sa.String(length=100), nullable=True),
        sa.Column("amount", sa.Double(), nullable=True),
        sa.Column("maturity_date", sa.Date(), nullable=True),
        sa.Column("outlet", sa.String(length=100), nullable=True),
        sa.Column("matched", sa.Boolean(), nullable=True),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.Column("file", sa.String(length=255), nullable=True),
        _fk("maturity_item", "snapshot_id", "snapshot", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_maturity_item"),
    )
    op.create_table(
        "assignment",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("staff_name", sa.String(length=100), nullable=True),
        sa.Column("role", sa.String(length=50), nullable=True),
        sa.Column("reason", sa.String(length=50), nullable=True),
        _fk("assignment", "snapshot_id", "snapshot", "CASCADE"),
        sa.PrimaryKeyConstraint("snapshot_id", "customer_id", name="pk_assignment"),
    )
    op.create_table(
        "plan_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outlet_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("staff_name", sa.String(length=100), nullable=True),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=True),
        sa.Column("tier", sa.String(length=20), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("required_count", sa.Integer(), nullable=False),
        sa.Column("period_kind", sa.String(length=10), nullable=True),
        sa.Column("reminder_offset", sa.Integer(), nullable=True),
        sa.Column("product", sa.String(length=100), nullable=True),
        sa.Column("amount", sa.Double(), nullable=True),
        sa.Column("maturity_date", sa.Date(), nullable=True),
        _fk("plan_item", "outlet_id", "outlet", "CASCADE"),
        _fk("plan_item", "snapshot_id", "snapshot", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_plan_item"),
    )
    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outlet_id", sa.Integer(), nullable=False),
        sa.Column("contact_date", sa.Date(), nullable=False),
        sa.Column("staff_name", sa.String(length=100), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("result", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=255), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        _fk("contact", "outlet_id", "outlet", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_contact"),
        sa.UniqueConstraint(
            "outlet_id", "staff_name", "customer_id", "channel", "contact_date", name="uq_contact_natural"
        ),
    )


def downgrade() -> None:
    for table in (
        "contact",
        "plan_item",
        "assignment",
        "maturity_item",
        "snapshot_rejection",
        "snapshot_customer",
        "snapshot",
        "policy_version",
        "user_account",
        "staff",
        "audit_log",
        "outlet",
    ):
        op.drop_table(table)
