"""CPU of the ingest's read-ahead keys (ingest._key_unit) per record, for the basira package first on sys.path:

    PYTHONPATH=/path/to/checkout python bench/read_ahead_cost.py FILE.jsonl [FILE ...]

Run as a script with the checkout to measure on PYTHONPATH, so that two checkouts (before and after a change)
are timed by the same script, alternately, in one session. Prints the checkout, records and ms a record.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from basira import ingest, reader


def key_cost(paths: list[Path]) -> tuple[int, float]:
    """(records, CPU seconds of _key_unit over every unit of `paths`); reading the units is not counted."""
    units = [(unit, path) for path in paths for unit in reader.read_units(path, ingest.UNIT_LINES)]
    started = time.process_time()
    for unit, path in units:
        ingest._key_unit(unit, path)
    return sum(unit.records for unit, _ in units), time.process_time() - started


def main(argv: list[str]) -> int:
    records, seconds = key_cost([Path(p) for p in argv])
    print(f"{Path(ingest.__file__).parent.parent}\t{records}\t{seconds * 1000 / records:.4f} ms a record")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
