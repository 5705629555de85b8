"""Login delays instead of lockouts: every password check is kept (account, client address, success) for the delays.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_attempt",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("client", sa.String(64), nullable=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_login_attempt_at", "login_attempt", ["at"])
    op.create_index("ix_login_attempt_subject", "login_attempt", ["subject"])
    op.create_index("ix_login_attempt_client", "login_attempt", ["client"])
    # Locks from the old rule (five failures, fifteen minutes) give way to the delays.
    op.execute("UPDATE user_account SET locked_until = NULL, failed_logins = 0")


def downgrade() -> None:
    op.drop_index("ix_login_attempt_client", table_name="login_attempt")
    op.drop_index("ix_login_attempt_subject", table_name="login_attempt")
    op.drop_index("ix_login_attempt_at", table_name="login_attempt")
    op.drop_table("login_attempt")
