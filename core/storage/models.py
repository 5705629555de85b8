"""Tables of the console (SQLAlchemy 2.0 typed mappings). Migrations in core/migrations create and evolve them.

Timestamps are naive UTC. Codes that the policy can change (logged channels and results) are plain text,
not database constraints; codes fixed by the program (account roles) are checked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from core.roles import ROLES

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict] = {dict[str, Any]: JSON, list[Any]: JSON}


class Outlet(Base):
    """网点 / 支局."""

    __tablename__ = "outlet"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Staff(Base):
    __tablename__ = "staff"
    __table_args__ = (UniqueConstraint("outlet_id", "name", name="uq_staff_outlet_name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlet.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(50))
    capacity_per_week: Mapped[float | None] = mapped_column(Double)
    active: Mapped[bool] = mapped_column(default=True, server_default=true())


class UserAccount(Base):
    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint(f"role IN ({', '.join(repr(r) for r in ROLES)})", name="role"),  # core.roles
        Index("uq_user_account_outlet_staff_name", "outlet_id", "staff_name", unique=True),  # revision 0005
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlet.id", ondelete="RESTRICT"))
    staff_name: Mapped[str | None] = mapped_column(String(100))
    display_name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # revision 0002
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # revision 0005: bumped by logout, password change/reset and lock (embedded in the login cookie)
    token_version: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)


class PolicyVersion(Base):
    """Every saved policy, whole; one active per scope (an outlet, or NULL = the city branch's global one)."""

    __tablename__ = "policy_version"
    id: Mapped[int] = mapped_column(primary_key=True)
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlet.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    toml: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    active: Mapped[bool] = mapped_column(default=False)


# One version number sequence and at most one active policy per scope; NULL (global) counts as scope 0.
Index(
    "uq_policy_version_scope_version",
    func.coalesce(PolicyVersion.outlet_id, 0),
    PolicyVersion.version,
    unique=True,
)
Index(
    "uq_policy_version_scope_active",
    func.coalesce(PolicyVersion.outlet_id, 0),
    unique=True,
    sqlite_where=PolicyVersion.active,
    postgresql_where=PolicyVersion.active,
)


class Snapshot(Base):
    """One imported export of one outlet at one date."""

    __tablename__ = "snapshot"
    __table_args__ = (
        UniqueConstraint("outlet_id", "as_of", name="uq_snapshot_outlet_as_of"),
        UniqueConstraint("outlet_id", "sha256", name="uq_snapshot_outlet_sha256"),
        {"sqlite_autoincrement": True},  # ids are never reused: the audit log refers to them
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlet.id", ondelete="CASCADE"))
    as_of: Mapped[dt.date] = mapped_column(Date)
    file_name: Mapped[str | None] = mapped_column(String(255))
    sha256: Mapped[str | None] = mapped_column(String(64))
    rows_read: Mapped[int] = mapped_column(Integer)
    rows_rejected: Mapped[int] = mapped_column(Integer)
    customers: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    maturity_files: Mapped[list[Any] | None] = mapped_column(JSON)


class SnapshotCustomer(Base):
    """The customers of a snapshot. No foreign key since revision 0003: PostgreSQL checked it row by row and
    that tripled a 1M-row COPY; the only writer (``import_snapshot``) and the deletes keep the rows in step."""

    __tablename__ = "snapshot_customer"
    snapshot_id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(50))
    outlet: Mapped[str | None] = mapped_column(String(100))
    assets: Mapped[float] = mapped_column(Double)
    maturity_date: Mapped[dt.date | None] = mapped_column(Date)
    birthday: Mapped[dt.date | None] = mapped_column(Date)
    manager: Mapped[str | None] = mapped_column(String(100))
    familiarity: Mapped[int | None] = mapped_column(Integer)
    source_row: Mapped[int | None] = mapped_column(Integer)
    accounts: Mapped[int | None] = mapped_column(Integer)


class SnapshotRejection(Base):
    __tablename__ = "snapshot_rejection"
    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("snapshot.id", ondelete="CASCADE"), index=True)
    row: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    column: Mapped[str | None] = mapped_column(String(100))
    file: Mapped[str | None] = mapped_column(String(255))


class MaturityItem(Base):
    __tablename__ = "maturity_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("snapshot.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(100))
    product: Mapped[str | None] = mapped_column(String(100))
    amount: Mapped[float | None] = mapped_column(Double)
    maturity_date: Mapped[dt.date | None] = mapped_column(Date)
    outlet: Mapped[str | None] = mapped_column(String(100))
    matched: Mapped[bool | None]
    source_row: Mapped[int | None] = mapped_column(Integer)
    file: Mapped[str | None] = mapped_column(String(255))


class Assignment(Base):
    __tablename__ = "assignment"
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("snapshot.id", ondelete="CASCADE"), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_name: Mapped[str | None] = mapped_column(String(100))
    role: Mapped[str | None] = mapped_column(String(50))
    reason: Mapped[str | None] = mapped_column(String(50))


class PlanItem(Base):
    """One contact a staff member owes in a period (``core.plan.build_plan`` rows)."""

    __tablename__ = "plan_item"
    __table_args__ = (Index("ix_plan_item_outlet_period", "outlet_id", "period"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlet.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(7))
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("snapshot.id", ondelete="CASCADE"), index=True)
    staff_name: Mapped[str | None] = mapped_column(String(100))
    customer_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(100))
    tier: Mapped[str | None] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    required_count: Mapped[int] = mapped_column(Integer, default=1)
    period_kind: Mapped[str | None] = mapped_column(String(10))
    reminder_offset: Mapped[int | None] = mapped_column(Integer)
    product: Mapped[str | None] = mapped_column(String(100))
    amount: Mapped[float | None] = mapped_column(Double)
    maturity_date: Mapped[dt.date | None] = mapped_column(Date)


class Contact(Base):
    """每日计划联络表: one logged contact (written by the compliance area)."""

    __tablename__ = "contact"
    __table_args__ = (
        UniqueConstraint(
            "outlet_id", "staff_name", "customer_id", "channel", "contact_date", name="uq_contact_natural"
        ),
        Index("ix_contact_outlet_date", "outlet_id", "contact_date"),
        Index("ix_contact_outlet_customer", "outlet_id", "customer_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlet.id", ondelete="CASCADE"))
    contact_date: Mapped[dt.date] = mapped_column(Date)
    staff_name: Mapped[str] = mapped_column(String(100))
    customer_id: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(20))
    result: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(255))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    familiarity: Mapped[int | None] = mapped_column(Integer)  # 熟识程度 written on the 联络表 row
    # tries at the customer that day (the row holds the day's final result)
    attempts: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))


class LoginAttempt(Base):
    """One password check (login or 修改密码) or a reset of the count (revision 0008): what login delays count.

    ``subject`` is the account's username, or a keyed hash of a name no account has (never the name as typed).
    """

    __tablename__ = "login_attempt"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    subject: Mapped[str] = mapped_column(String(64), index=True)
    client: Mapped[str | None] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(
        String(10)
    )  # login, passwd, reset (a success, an unlock or a new password)
    ok: Mapped[bool] = mapped_column(Boolean)


class AuditLog(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(50))
    outlet: Mapped[str | None] = mapped_column(String(100))
    detail: Mapped[dict[str, Any] | None]


class OutletSetting(Base):
    """A remembered choice of one outlet, e.g. the column mapping of its exports (JSON value)."""

    __tablename__ = "outlet_setting"
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlet.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[dict[str, Any]]
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class GiftHandover(Base):
    """达标有礼: a gift handed over to a customer for a level reached in one campaign (revision 0006)."""

    __tablename__ = "gift_handover"
    __table_args__ = (
        UniqueConstraint("outlet_id", "campaign", "customer_id", "level", name="uq_gift_handover_natural"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlet.id", ondelete="CASCADE"))
    campaign: Mapped[str] = mapped_column(String(30))
    customer_id: Mapped[str] = mapped_column(String(64))
    level: Mapped[float] = mapped_column(Double)
    handed_on: Mapped[dt.date] = mapped_column(Date)
    staff_name: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class PublishedPlan(Base):
    """A month's plan exactly as published for a snapshot: the handout every workbook is written from (0012)."""

    __tablename__ = "published_plan"
    __table_args__ = (UniqueConstraint("snapshot_id", "period", name="uq_published_plan_snapshot_period"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlet.id", ondelete="CASCADE"))
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("snapshot.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(7))
    as_of: Mapped[dt.date] = mapped_column(Date)
    policy_toml: Mapped[str] = mapped_column(Text)
    meta: Mapped[dict[str, Any]] = mapped_column()  # warnings, the roster order and its heads (core.handout)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class PublishedFrame(Base):
    """One frame of a published plan (``core.schema.HANDOUT_FRAMES``: plan rows, deferrals, ...), every column
    kept as it was (Parquet), so columns a later planner adds survive storage (revision 0012)."""

    __tablename__ = "published_frame"
    published_id: Mapped[int] = mapped_column(
        ForeignKey("published_plan.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    rows: Mapped[int] = mapped_column(Integer)
    dtypes: Mapped[dict[str, Any]] = mapped_column()  # column -> pandas dtype, restored exactly when read
    data: Mapped[bytes] = mapped_column(LargeBinary)


TABLES = Base.metadata.tables
