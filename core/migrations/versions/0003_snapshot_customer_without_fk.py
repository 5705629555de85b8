"""snapshot_customer without a foreign key: PostgreSQL checked it row by row, tripling a 1M-row COPY.

The application deletes a snapshot's customers itself (core.storage.snapshots._delete). Orphans left by an
older version cannot exist: the foreign key cascaded until now.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FK = "fk_snapshot_customer_snapshot_id_snapshot"


def upgrade() -> None:
    with op.batch_alter_table("snapshot_customer") as batch:
        batch.drop_constraint(FK, type_="foreignkey")


def downgrade() -> None:
    op.execute("DELETE FROM snapshot_customer WHERE snapshot_id NOT IN (SELECT id FROM snapshot)")
    with op.batch_alter_table("snapshot_customer") as batch:
        batch.create_foreign_key(FK, "snapshot", ["snapshot_id"], ["id"], ondelete="CASCADE")
