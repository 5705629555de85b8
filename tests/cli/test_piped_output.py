"""A command's JSON piped into a reader that stops early (``| head``): the command exits quietly."""

from __future__ import annotations

import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_a_cli_piped_into_a_reader_that_stops_early_exits_quietly():
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "core",
            "segment",
            "tests/unit/fixtures_ingest/branch_export.xls",
            "--as-of",
            "2026-11-20",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    proc.stdout.close()  # `| head` that has read enough
    err = proc.stderr.read().decode()
    assert proc.wait() == 0 and "Traceback" not in err and "BrokenPipe" not in err, err
