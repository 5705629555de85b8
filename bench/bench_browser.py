"""What-if in a real browser: 100,000 customers loaded, a changed tier bound -> new counts on screen (< 1 s).

The figure comes from the browser journey (tests/browser/test_browser_journey.py), which only measures and
writes tests/artifacts/whatif_timing.json: a test must not fail because the machine is busy, so the target is
judged here. This module runs that one test (Debian's Chromium needed; without it the row says so).
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
TIMING = ROOT / "tests" / "artifacts" / "whatif_timing.json"
TEST = "tests/browser/test_browser_journey.py::test_whatif_on_100k_customers_shows_new_numbers_after_each_bound_change"
NAME = "what-if in the browser, 100k customers (median of 5)"


def run(quick: bool) -> list[dict]:
    if quick:
        return [{"benchmark": NAME, "figure": "not run (--quick)", "target": "< 1 s", "ok": True}]
    if not pathlib.Path("/usr/bin/chromium").is_file():
        return [{"benchmark": NAME, "figure": "no Chromium here", "target": "< 1 s", "ok": False}]
    TIMING.unlink(missing_ok=True)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", TEST],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0 or not TIMING.is_file():
        tail = (done.stdout + done.stderr).strip().splitlines()[-1:] or ["no output"]
        return [
            {"benchmark": NAME, "figure": f"journey failed: {tail[0][:40]}", "target": "< 1 s", "ok": False}
        ]
    timing = json.loads(TIMING.read_text(encoding="utf-8"))
    shown = ", ".join(f"{s * 1000:.0f}" for s in timing["seconds"])
    return [
        {
            "benchmark": NAME,
            "figure": f"{timing['median'] * 1000:.0f} ms ({shown})",
            "target": f"< {timing['target'] * 1000:.0f} ms",
            "ok": timing["median"] < timing["target"],
        }
    ]
