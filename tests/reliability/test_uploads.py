"""Uploads: a browser-supplied name is a label, never a path; every refused file gets a reason an analyst can act on;
the upload limit and the local-only address are what Streamlit actually runs with."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
import uuid
from pathlib import Path

from basira import ingest, reader, store

from .helpers import ROOT, run_page, shown

_WATCHED = ("open", "os.rename", "os.remove", "os.rmdir", "os.mkdir", "os.symlink", "os.link", "os.chmod",
            "os.truncate", "shutil.copyfile", "shutil.copymode", "shutil.rmtree", "os.listdir", "os.scandir")
_EVENTS: list[tuple[str, tuple]] | None = None
_HOOKED: list[bool] = []


def _audit(event: str, args: tuple) -> None:
    if _EVENTS is not None and event in _WATCHED:
        _EVENTS.append((event, args))


def _hook() -> None:
    """Audit hooks cannot be removed: this one is added once and records only while a test asks it to."""
    if not _HOOKED:
        sys.addaudithook(_audit)
        _HOOKED.append(True)


def _paths(args: tuple, event: str = "") -> list[str]:
    if event == "open":
        args = args[:1]  # (path, mode, flags)
    return [os.fsdecode(a) for a in args if isinstance(a, (str, bytes, os.PathLike))]


def _writes(event: str, args: tuple) -> bool:
    if event == "open":
        mode = args[1] if len(args) > 1 else "r"
        flags = args[2] if len(args) > 2 else 0
        return (isinstance(mode, str) and any(c in mode for c in "wax+")) or bool(
            isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))
    return event not in ("os.listdir", "os.scandir")


def _written(event: str, args: tuple) -> list[str]:
    paths = _paths(args, event)
    return paths[1:2] if event in ("os.symlink", "os.link") else paths  # a link's target is a name, not a write


def _hostile_names(token: str) -> list[str]:
    return [
        f"../../{token}_passwd",
        f"..\\..\\{token}.txt",
        f"/tmp/{token}/abs.txt",
        f"/etc/{token}.txt",
        f"C:\\Windows\\{token}.txt",
        f"....//....//{token}.txt",
        f"%2e%2e%2f{token}.txt",
        f"~/{token}.txt",
        f"{token}\n/../x.txt",
        f"{token}.txt\x00.png",
        "/etc/passwd",
        "..",
        "",
    ]


def test_upload_names_are_labels_never_paths(tmp_path, monkeypatch):
    global _EVENTS
    token = f"zz_basira_probe_{uuid.uuid4().hex}"
    names = _hostile_names(token)
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    db = tmp_path / "data" / "basira.duckdb"
    files = [(name, f"خبر رقم {i}\n\nأعلنت وزارة الداخلية اعتقال {i} من المطلوبين في حمص.".encode())
             for i, name in enumerate(names)]
    _hook()
    _EVENTS = []
    try:
        report = ingest.ingest_uploads(files, db)
        events, _EVENTS = _EVENTS, None
    finally:
        _EVENTS = None
    # Each file was read from the bytes given: the "/etc/passwd" upload is our article, not the system file.
    assert (report.added, dict(report.rejected)) == (len(names) - 1, {"unsupported_format": 1})
    with store.read_cursor(db) as cur:
        stored = dict(cur.execute("SELECT source_path, text_raw FROM articles").fetchall())
    assert stored == {
        ingest.source_label(name): f"أعلنت وزارة الداخلية اعتقال {i} من المطلوبين في حمص."
        for i, name in enumerate(names) if not name.endswith(".png")
    }
    assert ingest.source_label(names[8]) == f"{token} /../x.txt"
    # Nothing touched a path made from a name, and nothing was written outside the data folder (the hook
    # does see the writer's own writes: the lock file and the swap of the new generation).
    written = {Path(p).name for event, args in events if _writes(event, args) for p in _written(event, args)}
    assert {".basira.duckdb.lock", "basira.duckdb"} <= written
    assert [e for e in events if any(token in p for p in _paths(e[1], e[0]))] == []
    outside = [(event, p) for event, args in events if _writes(event, args) for p in _written(event, args)
               if "__pycache__" not in p and not Path(p).resolve().is_relative_to(db.parent.resolve())]
    assert outside == []
    assert sorted(p.name for p in db.parent.iterdir()) == sorted(
        ["basira.duckdb", ".basira.duckdb.lock", store.generation_file(db).name])
    assert list(work.iterdir()) == []
    for place in (Path("/tmp") / token, Path("/etc") / f"{token}.txt", Path.home() / f"{token}.txt",
                  tmp_path.parent / f"{token}_passwd"):
        assert not place.exists()


SUPPORTED = ".csv, .json, .jsonl, .ndjson, .tsv, .txt"
EXPECTED_REJECTIONS = [
    ("empty.txt", "", "empty", "the file is empty"),
    ("blank.txt", "", "empty", "the file holds only white space"),
    ("image.txt", "", "binary", "this is a PNG image, not text"),
    ("report.pdf", "", "unsupported_format", f"cannot read '.pdf' files; use one of {SUPPORTED}"),
    ("sheet.xlsx", "", "unsupported_format", f"cannot read '.xlsx' files; use one of {SUPPORTED}"),
    ("broken.txt", "", "undecodable",
     "starts with a utf-16-le byte-order mark but is not utf-16-le: illegal UTF-16 surrogate"),
    ("nul.txt", "", "binary", "contains NUL bytes that are not UTF-16 text"),
    ("huge.txt", "", "too_large", "article text has 2,000,001 characters"),
    ("rows.jsonl", "line 1", "missing_text", "no text|content|body|article field with text"),
    ("rows.jsonl", "line 2", "malformed_json", "Expecting property name enclosed in double quotes at column 2"),
    ("rows.jsonl", "line 4", "truncated", "last line is cut off: Unterminated string starting at column 10"),
    ("one.json", "item 1", "not_an_object", "expected a JSON object, got list"),
]


def _rejected_uploads() -> list[tuple[str, bytes, str]]:
    good = '{"text": "أفرجت السلطات عن عشرين موقوفا من سجن عدرا.", "date": "2025-03-02"}'
    return [
        ("empty.txt", b"", "text/plain"),
        ("blank.txt", b" \n\t\n", "text/plain"),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(64), "text/plain"),
        ("report.pdf", b"%PDF-1.7\n", "application/pdf"),
        ("sheet.xlsx", b"PK\x03\x04", "application/octet-stream"),
        ("broken.txt", b"\xff\xfe" + b"\x00\xd8" * 10, "text/plain"),
        ("nul.txt", "نص\x00 عن سجن".encode(), "text/plain"),
        ("huge.txt", b"a" * (reader.MAX_TEXT_CHARS + 1), "text/plain"),
        ("rows.jsonl", ('{"title": "بلا نص"}\n{bad\n' + good + '\n{"text": "مقطوع').encode(), "application/json"),
        ("one.json", b"[[1, 2]]", "application/json"),
    ]


def test_the_ingest_page_names_every_refused_file_with_its_reason(tmp_path, on_store):
    on_store(tmp_path / "basira.duckdb")
    session = run_page("pages/5_Ingest.py")
    session.file_uploader[0].set_value(_rejected_uploads()).run()
    [button for button in session.button if button.label == "Ingest"][0].click().run()
    out = shown(session)
    assert out.exceptions == []
    metrics = {m.label: m.value for m in session.metric}
    assert (metrics["Records read"], metrics["Articles added"], metrics["Rejected"]) == ("13", "1", "12")
    (table,) = [d.value for d in session.dataframe if list(d.value.columns[:3]) == ["file", "where", "reason"]]
    rows = list(table[["file", "where", "reason", "detail"]].itertuples(index=False, name=None))
    assert len(rows) == len(EXPECTED_REJECTIONS)
    for row, (name, where, reason, detail) in zip(rows, EXPECTED_REJECTIONS, strict=True):
        assert row[:3] == (name, where, reason)
        assert row[3].startswith(detail), row
    assert not any(re.search(r"Traceback|Error\b|Exception", d) for d in table["detail"])


def _config() -> dict:
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_the_upload_limit_matches_the_readers_limit():
    assert _config()["server"]["maxUploadSize"] * 1024 * 1024 == reader.MAX_FILE_BYTES


def test_the_server_listens_on_this_machine_only_with_browser_protections_on():
    server = _config()["server"]
    assert server["address"] == "localhost"
    assert server.get("enableXsrfProtection", True) is True
    assert server.get("enableCORS", True) is True
    assert _config()["browser"]["gatherUsageStats"] is False


def test_streamlit_runs_with_these_settings():
    """`streamlit config show` from the project folder: the file is found and parsed as intended."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    result = subprocess.run([sys.executable, "-m", "streamlit", "config", "show"], capture_output=True, text=True,
                            cwd=ROOT, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    effective = {}
    for key in ("address", "maxUploadSize", "enableXsrfProtection", "enableCORS", "enableStaticServing"):
        found = re.findall(rf"^(?:# )?{key} = (.+)$", result.stdout, re.MULTILINE)  # "# " marks a default
        effective[key] = found[0] if found else None
    assert effective == {"address": '"localhost"', "maxUploadSize": "50", "enableXsrfProtection": "true",
                         "enableCORS": "true", "enableStaticServing": "true"}


def test_static_serving_exposes_only_the_bundled_fonts():
    files = sorted(p.relative_to(ROOT / "static").as_posix() for p in (ROOT / "static").rglob("*") if p.is_file())
    assert files and all(re.fullmatch(r"fonts/[\w.\-]+\.(ttf|woff2?|txt)", f) for f in files), files
