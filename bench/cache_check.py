"""Do page loads hit the app's caches, and what does a first load cost? Runs a page (the Overview unless named)
under Streamlit's AppTest against a store and counts the read queries each run executes, with the milliseconds
each run and each query took (wall and this process's CPU: on a shared machine wall time is mostly the queue for a
core), and the load average before the first run.

    python -m bench.cache_check bench/out/100000-short/basira.duckdb [pages/1_Topics.py] [key=value ...]

Runs: first load; the same view again (expect no queries); a date-range change (expect only the queries that
take filters); back to the first view (expect none: it is still cached). key=value pairs are URL parameters of
the first view (topic=prisons).
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
query_ms: Counter[str] = Counter()


def _count(name: str, function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        calls[name] += 1
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            query_ms[name] += (time.perf_counter() - started) * 1000

    return wrapper


def main(argv: list[str]) -> int:
    from streamlit.testing.v1 import AppTest

    os.environ["BASIRA_DB"] = str(Path(argv[0]).resolve())
    for name in dir(read):
        function = getattr(read, name)
        if callable(function) and getattr(function, "__module__", "") == read.__name__ and not name.startswith("_") and name != "selection":
            setattr(read, name, _count(name, function))
    page = argv[1] if len(argv) > 1 and "=" not in argv[1] else "app.py"
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    for pair in (a for a in argv[1:] if "=" in a):
        key, value = pair.split("=", 1)
        at.query_params[key] = value
    if page != "app.py":
        at.switch_page(page)
    print(json.dumps({"page": page, "load_average": os.getloadavg()}))
    steps = []

    def step(label: str, action) -> None:
        calls.clear()
        query_ms.clear()
        started, cpu = time.perf_counter(), time.process_time()
        action()
        steps.append({"run": label, "ms": round((time.perf_counter() - started) * 1000),
                      "cpu_ms": round((time.process_time() - cpu) * 1000),
                      "queries": {k: [calls[k], round(query_ms[k])] for k in sorted(calls)}})
        assert not at.exception, [e.value for e in at.exception]

    step("first load", at.run)
    step("same view again", at.run)
    step("date range changed", lambda: at.sidebar.date_input[0].set_value(dt.date(2015, 1, 1)).run())
    step("back to the first view", lambda: at.sidebar.date_input[0].set_value(None).run())
    for s in steps:
        print(json.dumps(s, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
