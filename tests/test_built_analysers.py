"""The built analysers kept on disk (basira.analysis.built): read back only under the key of the same code and
data, analysing exactly as a fresh build does, and never a reason for a load to fail."""

import io
import os
import pickle
import re
import shutil
from pathlib import Path

import pytest

from basira import analysis
from basira.analysis import built
from basira.analysis.entities import GazetteerRecognizer
from basira.analysis.segment import simple_split

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache directory for this test; the analysers are loaded afresh before and after it."""
    directory = tmp_path / "cache"
    monkeypatch.setenv("BASIRA_CACHE_DIR", str(directory))
    analysis.reload()
    yield directory
    analysis.reload()


@pytest.fixture
def builds(monkeypatch):
    """Counts the lexicon builds (a load that read the cache builds none)."""
    count = [0]
    build = analysis._lexicons

    def counted():
        count[0] += 1
        return build()

    monkeypatch.setattr(analysis, "_lexicons", counted)
    return count


def _analysed_seeds() -> list:
    return [analysis.analyze_article(simple_split(p.read_text(encoding="utf-8"))) for p in sorted(SEEDS.iterdir())]


def _load_afresh() -> analysis._Analyzers:
    analysis.reload()
    return analysis._load()


def test_a_later_load_reads_what_the_first_built_and_analyses_the_same(cache, builds, monkeypatch):
    monkeypatch.setenv("BASIRA_CACHE_DIR", "off")
    _load_afresh()
    built_version, built_results = analysis.taxonomy_version(), _analysed_seeds()
    monkeypatch.setenv("BASIRA_CACHE_DIR", str(cache))
    _load_afresh()
    assert builds[0] == 2 and [p.name for p in cache.iterdir()] == [f"analysers-{analysis._cache_key()}.pickle"]
    _load_afresh()
    assert builds[0] == 2  # read, not built
    assert analysis.taxonomy_version() == built_version
    assert _analysed_seeds() == built_results
    assert sum(len(r.mentions) + len(r.topics) + len(r.quantities) for r in built_results) > 0


def _edit_data_file(cache: Path, monkeypatch, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(analysis.DATA, data)
    monkeypatch.setattr(analysis, "DATA", data)
    _load_afresh()
    with (data / "titles.json").open("a", encoding="utf-8") as f:
        f.write(" ")


def _garbage(cache: Path, monkeypatch, tmp_path: Path) -> None:
    cache.mkdir()
    built.file_for(cache, analysis._cache_key()).write_bytes(b"not a pickle")


def _truncated(cache: Path, monkeypatch, tmp_path: Path) -> None:
    _load_afresh()
    path = built.file_for(cache, analysis._cache_key())
    path.write_bytes(path.read_bytes()[:100_000])


def _another_keys_file(cache: Path, monkeypatch, tmp_path: Path) -> None:
    _load_afresh()
    key = analysis._cache_key()
    monkeypatch.setattr(analysis, "RULES_VERSION", analysis.RULES_VERSION + "x")
    built.file_for(cache, key).rename(built.file_for(cache, analysis._cache_key()))


@pytest.mark.parametrize("spoil", [_edit_data_file, _garbage, _truncated, _another_keys_file])
def test_a_stale_or_broken_file_is_built_again_and_replaced(cache, builds, monkeypatch, tmp_path, spoil):
    spoil(cache, monkeypatch, tmp_path)
    before = builds[0]
    _load_afresh()
    assert builds[0] == before + 1
    _load_afresh()
    assert builds[0] == before + 1  # the rebuilt lexicons were kept under the new key


def test_an_edited_data_file_changes_the_key(cache, monkeypatch, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(analysis.DATA, data)
    monkeypatch.setattr(analysis, "DATA", data)
    before = analysis._cache_key()
    with (data / "gazetteer" / "not_names.tsv").open("a", encoding="utf-8") as f:
        f.write("PER\tاسم تجريبي\n")
    assert analysis._cache_key() != before


def test_a_directory_that_cannot_be_written_only_costs_the_build(cache, builds, monkeypatch, tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("BASIRA_CACHE_DIR", str(blocker / "cache"))
    _load_afresh()
    _load_afresh()
    assert builds[0] == 2 and blocker.read_text(encoding="utf-8") == ""


@pytest.mark.parametrize("how", ["off", "custom recogniser"])
def test_no_file_when_the_cache_is_off_or_the_recogniser_is_not_the_default(cache, builds, monkeypatch, how):
    if how == "off":
        monkeypatch.setenv("BASIRA_CACHE_DIR", "off")
    else:
        monkeypatch.setattr(analysis, "_custom_recognizer", GazetteerRecognizer())
    _load_afresh()
    _load_afresh()
    assert builds[0] == 2 and not cache.exists()


def test_a_write_leaves_no_temporary_file_and_keeps_the_newest_other_keys(tmp_path):
    for n in range(built._KEPT + 1):
        old = built.file_for(tmp_path, f"old{n}")
        old.write_bytes(b"")
        os.utime(old, ns=(n * 10**9, n * 10**9))
    assert built.write(built.file_for(tmp_path, "new"), "new", {"a": (1, "b")})
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"analysers-old{n}.pickle" for n in range(1, built._KEPT + 1)] + ["analysers-new.pickle"]
    )
    assert built.read(built.file_for(tmp_path, "new"), "new") == {"a": (1, "b")}
    assert built.read(built.file_for(tmp_path, "new"), "old1") is None


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"BASIRA_CACHE_DIR": "/srv/basira-cache"}, Path("/srv/basira-cache")),
        ({"BASIRA_CACHE_DIR": "off"}, None),
        ({"XDG_CACHE_HOME": "/home/u/.xdg"}, Path("/home/u/.xdg/basira")),
        ({"HOME": "/home/u"}, Path("/home/u/.cache/basira")),
    ],
)
def test_the_cache_directory(monkeypatch, env, expected):
    for name in ("BASIRA_CACHE_DIR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert built.cache_dir() == expected


@pytest.mark.parametrize(
    ("source", "flags", "text"),
    [
        (r"(?P<n>[0-9]+)\s+(?P<unit>\w+)", 0, "قتل 12 شخصا"),
        (r"(?<![^\W\u0648])(?:abc|ab)(?!\w)", re.IGNORECASE, "x ABC y"),
        (r"[\u0621-\u064a]+", re.MULTILINE, "نص\nآخر"),
    ],
)
def test_a_pattern_is_kept_compiled_and_reads_back_equal(source, flags, text):
    pattern = re.compile(source, flags)
    function, args = built._compiled(pattern)
    assert function is not re._compile  # kept compiled, not as its source
    out = io.BytesIO()
    built._dump(pattern, out)
    again = pickle.loads(out.getvalue())
    assert again == pattern and again.groupindex == pattern.groupindex
    assert [m.groupdict() or m.group() for m in again.finditer(text)] == [
        m.groupdict() or m.group() for m in pattern.finditer(text)
    ]


def test_the_quantity_pattern_reads_back_equal():
    pattern = analysis._load().quantities.pattern
    out = io.BytesIO()
    built._dump(pattern, out)
    assert pickle.loads(out.getvalue()) == pattern


@pytest.mark.parametrize("shared", ["file", "directory"])
def test_a_file_others_could_have_written_is_not_read(tmp_path, shared):
    path = built.file_for(tmp_path / "cache", "k")
    assert built.write(path, "k", ("built",))
    assert built.read(path, "k") == ("built",)
    (path if shared == "file" else path.parent).chmod(0o666 if shared == "file" else 0o777)
    assert built.read(path, "k") is None


def test_a_process_whose_files_changed_on_disk_neither_reads_nor_writes(cache, builds, monkeypatch):
    # Its modules are the old code: under the new files' key its lexicons would be served to the new code.
    _load_afresh()
    monkeypatch.setattr(built, "IMPORTED", "files as imported before an upgrade")
    _load_afresh()
    _load_afresh()
    assert builds[0] == 3 and len(list(cache.iterdir())) == 1


def test_lexicons_built_while_a_data_file_changed_are_not_kept(cache, monkeypatch, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(analysis.DATA, data)
    monkeypatch.setattr(analysis, "DATA", data)
    build = analysis._lexicons

    def edited_meanwhile():
        lex = build()
        with (data / "titles.json").open("a", encoding="utf-8") as f:
            f.write(" ")
        return lex

    monkeypatch.setattr(analysis, "_lexicons", edited_meanwhile)
    _load_afresh()
    assert not cache.exists()
