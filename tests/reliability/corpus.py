"""Hostile inputs: what an analyst's scraper may hand Basira, and what must come out inert.

Every payload that could run sets `window.__basira_xss` in a browser, and every remote reference points at
BEACON (TEST-NET-2, never routed), so a browser test can tell "shown as text" from "executed / fetched".
Each record also carries ordinary Arabic security-news words, so it is tagged (prisons, arrests), names
entities and shows up on every page: hostile text must be inert *where it is displayed*, not merely stored.
"""

from __future__ import annotations

import json
from pathlib import Path

BEACON = "198.51.100.7"
XSS = "__basira_xss"
SCRIPT = f"<script>window.{XSS}=1</script>"
IMG = f'<img src=x onerror="window.{XSS}=2">'
SVG = f"'\"><svg onload=window.{XSS}=3>"
STYLE_BREAK = f"</style></div><iframe src=javascript:window.{XSS}=4></iframe>"
MARKDOWN = (
    f"**عاجل** __مهم__ _x_ [انقر](javascript:window.{XSS}=5) ![صورة](http://{BEACON}/md.png) "
    f"<http://{BEACON}/auto> `code` :red[أحمر] :material/home: $x^2$ ~~شطب~~"
)
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
FORMULAS = (
    f'=HYPERLINK("http://{BEACON}/f","انقر هنا")',
    "+SUM(1,1)",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
)
# A date field nobody can parse, so it is quoted in the article's "undated" reason, which the reader shows.
HOSTILE_DATE = f"![d](http://{BEACON}/date.png) [d](http://{BEACON}/date) {SCRIPT} \u202e2025"
# Backticks break out of a Markdown code span, where the reader shows a URL and a file name.
BACKTICK_URL = f"https://news.example/a`[u](http://{BEACON}/u) ![u](http://{BEACON}/u.png)`"
UPLOAD_NAME = f"x` ![n](http://{BEACON}/n.png) **n** \u202egpj.jsonl"

NEWS = "أعلنت وزارة الداخلية السورية اعتقال ضابط منشق في سجن صيدنايا بعد تحقيق استمر أسبوعين."
RANKED = "وقال العميد سامر خليل إن التحقيق مستمر مع الموقوفين في سجن عدرا."

RECORDS: list[dict[str, str]] = [
    {
        "title": f"\u202eسجن صيدنايا {SCRIPT} {IMG}",
        "text": f'قال وزير الداخلية أنس خطاب "{SCRIPT} لن نتهاون". {NEWS} {SVG}\n\n{RANKED} {STYLE_BREAK}',
        "date": "2025-03-01",
        "source": f"<b>evil</b>\u202e.example {SVG}",
        "author": FORMULAS[0],
        "url": f"javascript:window.{XSS}=6",
    },
    {
        "title": FORMULAS[0],
        "text": f"{FORMULAS[6]} {NEWS}\n\n{FORMULAS[1]} أحبطت الأجهزة الأمنية محاولة انقلاب في حمص. {MARKDOWN}",
        "date": HOSTILE_DATE,
        "source": FORMULAS[1],
        "author": FORMULAS[2],
        "url": BACKTICK_URL,
        "notes": FORMULAS[3],
    },
    {
        "title": f"{MARKDOWN} اعتقال في سجن عدرا",
        "text": f"{NEWS}\u0000 {RANKED}\u0007\u001b[31m {BIDI_CONTROLS}نص\u2069 {MARKDOWN}",
        "date": "2025-04-15",
        "source": f"[src](http://{BEACON}/src) ![s](http://{BEACON}/s.png)",
        "author": "\u2067كاتب\u2069 **مجهول**",
        "url": "https://news.example/\u202egpj.exe",
    },
    {
        "title": f"تقرير{BIDI_CONTROLS} عن السجون{FORMULAS[4]}",
        "text": f"{FORMULAS[5]} نشرت منظمة حقوقية تقريرا عن أوضاع السجون وظروف احتجاز المعتقلين في سجن صيدنايا. "
        f"&lt;script&gt; وقال الناطق &quot;لن نصمت&quot; {IMG}",
        "date": "2025-05-20",
        "source": "hostile.example",
    },
]

SEED_TEXT = f"date 2025-06-01\n{SCRIPT} اعتقال ضباط منشقين\n\n{NEWS} {IMG} {MARKDOWN}\n"
CSV_TEXT = (
    "title,text,date,source\n"
    f'"{FORMULAS[0].replace(chr(34), chr(34) * 2)}","{NEWS} {SCRIPT}",2025-07-01,"{FORMULAS[2]}"\n'
    f'"@cmd {SVG.replace(chr(34), chr(34) * 2)}","{RANKED} {FORMULAS[1]}",2025-07-02,"=1+1"\n'
)
# Lines that cannot become articles: their excerpts are shown on the Ingest page and exported.
REJECTED_LINES = (
    json.dumps({"title": f"\u202e{SCRIPT} {FORMULAS[0]}", "url": "https://news.example/x"}, ensure_ascii=False),
    f"{{not json \u202e {IMG} {MARKDOWN} \u001b[31m",
)
REJECTED_REASONS = {"missing_text": 1, "malformed_json": 1}
# A file on disk whose name carries a right-to-left override ("gpj.txt" displayed reversed).
BIDI_FILE_NAME = "\u202egpj.txt"
# An upload whose name is hostile too: it is a label in the store and on the reader page.
UPLOAD_RECORD = {"title": "رفع ملف", "text": f"{RANKED} {IMG}", "date": "2025-08-01", "source": "upload.example"}


def write_inputs(folder: Path) -> list[Path]:
    """The hostile corpus as files an analyst would ingest: JSON Lines, a seed text and a CSV."""
    folder.mkdir(parents=True, exist_ok=True)
    jsonl = folder / "hostile.jsonl"
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    seed = folder / "hostile_seed.txt"
    seed.write_text(SEED_TEXT, encoding="utf-8")
    table = folder / "hostile.csv"
    table.write_text(CSV_TEXT, encoding="utf-8")
    rejects = folder / "hostile_rejects.jsonl"
    rejects.write_text("\n".join(REJECTED_LINES) + "\n", encoding="utf-8")
    named = folder / BIDI_FILE_NAME
    named.write_text(f"سجن عدرا\n\n{RANKED}\n", encoding="utf-8")
    return [jsonl, seed, table, rejects, named]


def upload() -> tuple[str, bytes]:
    return UPLOAD_NAME, (json.dumps(UPLOAD_RECORD, ensure_ascii=False) + "\n").encode("utf-8")
