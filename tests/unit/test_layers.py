"""The layers hold: only core.services (and the storage and its migrations themselves) import core.storage;
pages, ui, the CLI and the rest of core read and write through the services."""

from __future__ import annotations

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
OWN = ("core/services/", "core/storage/", "core/migrations/")


def storage_importers() -> set[str]:
    found = set()
    for folder in ("core", "ui", "pages", "views", "app.py", "serve.py"):
        base = ROOT / folder
        paths = [base] if base.is_file() else (sorted(base.rglob("*.py")) if base.exists() else [])
        for path in paths:
            rel = path.relative_to(ROOT).as_posix()
            if rel.startswith(OWN):
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = []
                if isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                elif isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                if any(n == "core.storage" or n.startswith("core.storage.") for n in names):
                    found.add(rel)
    return found


def test_only_the_services_touch_the_storage():
    assert storage_importers() == set()
