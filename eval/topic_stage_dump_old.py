"""Dump an older tree's rule tags, with the sentences they were read from, for the never-tuned view of the eighth round.

Run inside `git archive` of an older commit (its own basira and eval), the corpora reachable as ../shared/corpora:

    cd OLD_TREE && PYTHONPATH=. python /path/to/eval/topic_stage_dump_old.py ROWS.jsonl OUT.jsonl CURRENT_EVAL_DIR

ROWS.jsonl: the devset lines to score; OUT.jsonl gets one line per row (the row, title, sentences, tags). The older
eval's own `evaluate` makes the sentences (its splitter and boilerplate rules) and prints its core counts; the article
text is read with the current loader (older ones did not know every corpus). Used by eval/topic_stage_cv.py
--never-tuned.
"""

import dataclasses
import importlib.util
import json
import sys
from pathlib import Path

rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
out_path = sys.argv[2]
spec = importlib.util.spec_from_file_location("cur_corpora", Path(sys.argv[3]) / "corpora.py")
cur = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cur)
import eval.topics_devset as td  # noqa: E402  (the older tree's)
td.load_article = cur.load_article
if hasattr(td, "site_of"):
    td.site_of = cur.site_of
captured = []
real = td.analyze_article


def capture(sentences, title=None):
    a = real(sentences, title)
    captured.append((sentences, title, a))
    return a


td.analyze_article = capture
tp, fp, fn, _ = td.evaluate(rows)
print({t: (tp[t], fp[t], fn[t]) for t in ("prisons", "coups", "defected_officers")})
assert len(captured) == len(rows)
with open(out_path, "w", encoding="utf-8") as f:
    for ref, (sentences, title, a) in zip(rows, captured):
        tags = [{"topic": t.topic, "score": t.score, "evidence": [[e.seq, e.term, e.start, e.end] for e in t.evidence]}
                for t in a.topics]
        row = {"ref": ref, "title": title, "sentences": [dataclasses.asdict(s) for s in sentences], "tags": tags}
        f.write(json.dumps(row, ensure_ascii=False) + "\n")
