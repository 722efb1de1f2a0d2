"""Hostile spreadsheets read by the import (``core.tables.read_table``): time and peak memory.

    .venv/bin/python benchmarks/spreadsheet_bombs.py [--timeout 60]

Each attack of ``tests/security/spreadsheet_bombs.py`` is read in a fresh process; a process
still reading after the timeout is killed (its peak memory so far is reported).
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.security.spreadsheet_bombs import ATTACKS, measure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("only", nargs="*", help="attacks whose name contains one of these")
    args = parser.parse_args()
    print(f"{'attack':42} {'size':>9} {'outcome':>8} {'seconds':>8} {'peak MB':>8} {'extra':>6}")
    for name, make in ATTACKS.items():
        if args.only and not any(word in name for word in args.only):
            continue
        content = make()
        filename = "attack.csv" if name.startswith("CSV") else "attack.xlsx"
        m = measure(content, filename, timeout=args.timeout)
        extra = "" if m.killed else f"{m.extra_mb:6.0f}"
        print(
            f"{name:42} {len(content) / 1024:7.0f}KB {m.outcome:>8} {m.seconds:8.1f}"
            f" {m.peak_mb:8.0f} {extra:>6}  {m.message[:90]}",
            flush=True,
        )


if __name__ == "__main__":
    main()
