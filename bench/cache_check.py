"""Do page loads hit the app's caches? Runs the Overview page under Streamlit's AppTest against a store and
counts the read queries each run executes (and how long each run takes).

    python -m bench.cache_check bench/out/100000-short/basira.duckdb

Runs: first load; the same view again (expect no queries); a date-range change (expect only the queries that
take filters); back to the first view (expect none: it is still cached).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

from basira.queries import read

ROOT = Path(__file__).resolve().parent.parent
calls: Counter[str] = Counter()


def _count(name: str, function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        calls[name] += 1
        return function(*args, **kwargs)

    return wrapper


def main(argv: list[str]) -> int:
    from streamlit.testing.v1 import AppTest

    os.environ["BASIRA_DB"] = str(Path(argv[0]).resolve())
    for name in dir(read):
        function = getattr(read, name)
        if callable(function) and getattr(function, "__module__", "") == read.__name__ and not name.startswith("_") and name != "selection":
            setattr(read, name, _count(name, function))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    steps = []

    def step(label: str, action) -> None:
        calls.clear()
        started = time.perf_counter()
        action()
        steps.append({"run": label, "ms": round((time.perf_counter() - started) * 1000), "queries": dict(sorted(calls.items()))})

    step("first load", at.run)
    step("same view again", at.run)
    step("date range changed", lambda: at.sidebar.date_input[0].set_value(dt.date(2015, 1, 1)).run())
    step("back to the first view", lambda: at.sidebar.date_input[0].set_value(None).run())
    for s in steps:
        print(json.dumps(s, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
