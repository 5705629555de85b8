"""Run every benchmark module (bench/bench_*.py) and print its figures. ``--quick`` for a small smoke run."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("only", nargs="*", help="module names (e.g. bench_segment); default all")
    args = parser.parse_args()
    names = args.only or sorted(p.stem for p in HERE.glob("bench_*.py"))
    print(f"# bench/run.py {dt.datetime.now():%Y-%m-%d %H:%M} {'(quick)' if args.quick else ''}")
    print(f"{'benchmark':<58} {'figure':>26}  {'target':<22} ok")
    for name in names:
        module = importlib.import_module(f"bench.{name}" if not name.startswith("bench.") else name)
        for row in module.run(args.quick):
            mark = "yes" if row["ok"] else "NO"
            print(f"{row['benchmark']:<58} {row['figure']:>26}  {row['target']:<22} {mark}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
