"""The built analysers kept on disk between processes.

Building the taxonomy, gazetteer, lexicons and tables costs about a second of CPU in every process that analyses
(half the CPU of a 100-record ingest); reading the built objects back from a pickle costs about half of that. The
file is named by a key hashed from everything the build depends on: every file of the `basira` package (its data
files and its Python source), the data directory analysis reads, RULES_VERSION, the matcher version and the
interpreter. An edited data file, a new release or another Python therefore looks for a file of its own and, not
finding one, builds as before; the stale file is never read. The key is also written at the head of the file and
checked before unpickling, so a file renamed or swapped in is passed over. A file that cannot be read, unpickled
or written (a read-only install, a full disk, a corrupt file) only costs the build: nothing here raises.

The directory is $BASIRA_CACHE_DIR, else $XDG_CACHE_HOME/basira, else ~/.cache/basira; BASIRA_CACHE_DIR=off
turns the cache off. It is created private to the user (0700): a pickle runs code when read, so it must only
ever be a file this user wrote.
"""

from __future__ import annotations

import copyreg
import hashlib
import os
import pickle
import re
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

PACKAGE = Path(__file__).resolve().parent.parent
_PREFIX = "analysers-"
_SUFFIX = ".pickle"
_KEPT = 4  # other keys' files left in place: a few checkouts or releases sharing one cache directory
_FORMAT = b"basira-analysers 1\n"  # bump if the file's layout changes


def cache_dir() -> Path | None:
    """Where the built analysers are kept, or None when the cache is turned off."""
    chosen = os.environ.get("BASIRA_CACHE_DIR", "")
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(base) if base else Path.home() / ".cache") / "basira"


def package_files(root: Path = PACKAGE) -> list[Path]:
    """Every file the package ships (source and data), in a stable order; bytecode caches excluded."""
    return sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def files_digest(files: Iterable[Path]) -> str:
    """A hash of the given files' paths and bytes."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path).encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def build_key(parts: Iterable[str]) -> str:
    """A hash of the given parts (digests, versions), this file's layout and the interpreter."""
    digest = hashlib.sha256(_FORMAT)
    digest.update(f"{sys.version}\0{pickle.HIGHEST_PROTOCOL}\0".encode())
    for part in parts:
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()


# The package's files as this process imported them. A process whose files change on disk while it runs (an
# upgrade under a running dashboard, a checkout switched under a test run) builds with the code it has in memory:
# keyed by the files now on disk, its lexicons would be served to the new code. So the cache is used only while
# the files on disk are still these (analysis._cache_key).
IMPORTED = files_digest(package_files())


def _compiled(pattern: re.Pattern[str]) -> tuple:
    """A pickle reduction of a compiled pattern that keeps its compiled code: a pattern pickles as its source and
    is parsed again when read, which for the lexicons' long alternations (50,000 characters) was a quarter of
    reading the cache. This is what re.compile hands to _sre.compile (CPython internals; the key holds
    sys.version, so a file is only read by the interpreter that wrote it). Any pattern the rebuilt one would not
    equal (same source, flags and code) pickles the ordinary way."""
    try:
        from re import _compiler, _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(pattern.pattern, pattern.flags)
        groupindex = parsed.state.groupdict
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        code = [int(op) for op in _compiler._code(parsed, pattern.flags)]  # opcodes are named ints
        args = (pattern.pattern, pattern.flags | parsed.state.flags, code,
                parsed.state.groups - 1, groupindex, tuple(indexgroup))
        if _compiler._sre.compile(*args) == pattern:
            return _compiler._sre.compile, args
    except Exception:  # noqa: BLE001 - another Python's internals: pickle the source
        pass
    return _ORDINARY(pattern)


_ORDINARY = copyreg.dispatch_table[re.Pattern]


def _dump(value: object, f: BinaryIO) -> None:
    pickler = pickle.Pickler(f, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = copyreg.dispatch_table | {re.Pattern: _compiled}
    pickler.dump(value)


def file_for(directory: Path, key: str) -> Path:
    return directory / f"{_PREFIX}{key}{_SUFFIX}"


def read(path: Path, key: str) -> object | None:
    """The object stored under this key, or None if the file is missing, foreign or unreadable."""
    try:
        with path.open("rb") as f:
            if not _private(os.fstat(f.fileno())) or not _private(path.parent.stat()):
                return None
            if f.readline() != _FORMAT or f.readline() != key.encode() + b"\n":
                return None
            return pickle.load(f)
    except Exception:  # noqa: BLE001 - any broken file means: build instead
        return None


def _private(st: os.stat_result) -> bool:
    """Owned by this user and writable by no one else: unpickling runs code, so only a file this user could
    have written is read."""
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


def write(path: Path, key: str, value: object) -> bool:
    """Store value under key, atomically (a reader sees the old file or the whole new one). False if it could
    not be written; the caller goes on with what it built."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-" + _PREFIX)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(_FORMAT + key.encode() + b"\n")
            _dump(value, f)
        os.replace(tmp, path)
    except Exception:  # noqa: BLE001 - a full disk or an object that will not pickle: keep what was built
        Path(tmp).unlink(missing_ok=True)
        return False
    _prune(path)
    return True


def _prune(kept: Path) -> None:
    """Remove all but the newest few files of other keys, so edits and upgrades do not fill the disk."""
    try:
        others = [p for p in kept.parent.glob(f"{_PREFIX}*{_SUFFIX}") if p != kept]
        others.sort(key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in others[_KEPT:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
