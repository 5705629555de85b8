"""Which rules differ between two policies (the version list and the what-if compare)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.policy.load import _plain
from core.policy.schema import Policy


def policy_diff(a: Policy | Mapping[str, Any], b: Policy | Mapping[str, Any]) -> list[tuple[str, Any, Any]]:
    """Rules that differ between two policies as ``(dotted key, value in a, value in b)``, in a's order.

    Tiers are keyed by code and bands by level (``tiers.mid.lower``, ``bands.50000.gift``), so an added or
    removed band is one row rather than a shift of every later one; other lists compare whole. A rule missing
    on one side is None there.
    """
    left = _flatten(a.to_dict() if isinstance(a, Policy) else _plain(a))
    right = _flatten(b.to_dict() if isinstance(b, Policy) else _plain(b))
    keys = list(left) + [k for k in right if k not in left]
    return [(k, left.get(k), right.get(k)) for k in keys if left.get(k) != right.get(k)]


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(_flatten(item, f"{prefix}{key}."))
        return out
    label = _list_labels(value)
    if label is not None:
        out = {}
        for name, item in zip(label, value, strict=True):
            out.update(_flatten(item, f"{prefix}{name}."))
        return out
    return {prefix.rstrip("."): value}


def _list_labels(value: Any) -> list[str] | None:
    """Names for the items of a list of tables that carry a unique ``code`` or ``level``; None otherwise."""
    if not isinstance(value, list) or not value or not all(isinstance(v, Mapping) for v in value):
        return None
    for field_name in ("code", "level"):
        if all(field_name in v for v in value):
            names = [_key_text(v[field_name]) for v in value]
            if len(set(names)) == len(names):
                return names
    return None


def _key_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
