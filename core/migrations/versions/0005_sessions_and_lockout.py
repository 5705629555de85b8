"""Sessions that end and lockouts that expire: a per-account token version and lock time; one account per staff name.

``token_version`` is embedded in the login cookie and checked on every run; logout, a password change or reset
and a lock bump it, so a copied cookie stops working. ``locked_until`` makes a lockout time-limited. Two accounts
of one outlet may no longer map to the same roster name: where an old database has such pairs, the later accounts
lose the staff name and each change is written to audit_log.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNIQUE_STAFF = "uq_user_account_outlet_staff_name"


def upgrade() -> None:
    op.add_column(
        "user_account", sa.Column("token_version", sa.Integer(), server_default=sa.text("0"), nullable=False)
    )
    op.add_column("user_account", sa.Column("locked_until", sa.DateTime(), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            "SELECT id, username, outlet_id, staff_name FROM user_account "
            "WHERE staff_name IS NOT NULL ORDER BY outlet_id, staff_name, id"
        )
    ).all()
    seen: set[tuple[int | None, str]] = set()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for row in rows:
        key = (row.outlet_id, row.staff_name)
        if key not in seen:
            seen.add(key)
            continue
        conn.execute(sa.text("UPDATE user_account SET staff_name = NULL WHERE id = :id"), {"id": row.id})
        conn.execute(
            sa.text(
                "INSERT INTO audit_log (at, username, action, outlet, detail) "
                "VALUES (:at, 'migration-0005', 'user.staff_name_cleared', NULL, :detail)"
            ),
            {"at": now, "detail": json.dumps({"username": row.username, "staff_name": row.staff_name})},
        )
    op.create_index(UNIQUE_STAFF, "user_account", ["outlet_id", "staff_name"], unique=True)


def downgrade() -> None:
    op.drop_index(UNIQUE_STAFF, table_name="user_account")
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("locked_until")
        batch.drop_column("token_version")
