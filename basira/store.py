"""Where the DuckDB file lives, and how readers and the single writer share it.

DuckDB lets one process write a file, and a read-only opener elsewhere blocks that writer. So a
dashboard that is open must never hold the live file while the CLI ingests. The design is
build-and-swap:

- `data/basira.duckdb` is a symlink to the current *generation*, `data/basira.gen-<n>.duckdb`.
- A writer takes an advisory lock, copies the current generation to a new file, writes there,
  checkpoints, and atomically repoints the symlink. A crash at any step leaves the old generation
  live and untouched: that is the batch's transaction.
- Readers resolve the symlink and open that generation read-only. Each generation has its own path,
  so DuckDB's per-path instance cache never hands a reader a stale or half-written file; a reader
  that still has the previous generation open keeps reading it (POSIX keeps an unlinked file alive).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

from basira import queries

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "basira.duckdb"
_GEN = re.compile(r"\.gen-(\d+)\.duckdb$")
# Generations kept besides the live one, so a reader that resolved the link just before a swap can still open it.
_KEEP_PREVIOUS = 1
READ_MEMORY_LIMIT = "512MB"
# The writer's DuckDB buffer pool. DuckDB's default (80% of RAM) kept every block an ingest read or wrote cached:
# 10 GB at 1M articles. Everything the writer's queries need at a time fits well within this; sorts of large
# index merges spill to a temporary folder beside the file.
WRITE_MEMORY_LIMIT = "1GB"
# WAL size at which the writer checkpoints. DuckDB's 16 MB default checkpointed every chunk or two, and each
# checkpoint rewrites the partly filled last row groups of every table it touches: 0.53 ms per article of a
# 20k batch went to appends, 0.12 with 256 MB (whole writer 1.2 -> 1.03 ms/article, RSS +60 MB). The WAL of a
# partial copy is never replayed (a failed batch deletes both), so a larger one costs no safety.
WRITE_CHECKPOINT_THRESHOLD = "256MB"


class StoreMissing(FileNotFoundError):
    """The database has not been built yet."""


def default_db_path() -> Path:
    return Path(os.environ.get("BASIRA_DB", DEFAULT_DB))


def generation_file(db_path: Path) -> Path:
    """The file a reader should open now."""
    if not db_path.exists():
        raise StoreMissing(f"No database at {db_path}. Build it with: python -m basira ingest seeds/")
    return db_path.resolve()


def generation_id(db_path: Path) -> str:
    """Identifies the data a reader sees; changes on every landed ingest. Used as a cache key."""
    target = generation_file(db_path)
    stat = target.stat()
    return f"{target.name}:{stat.st_size}:{stat.st_mtime_ns}"


def _generation_number(path: Path) -> int:
    match = _GEN.search(path.name)
    return int(match.group(1)) if match else 0


def _generations(db_path: Path) -> list[Path]:
    stem = db_path.name.removesuffix(".duckdb")
    return sorted(db_path.parent.glob(f"{stem}.gen-*.duckdb"), key=_generation_number)


def _next_generation(db_path: Path) -> Path:
    stem = db_path.name.removesuffix(".duckdb")
    existing = [_generation_number(p) for p in _generations(db_path)]
    return db_path.parent / f"{stem}.gen-{max(existing, default=0) + 1:06d}.duckdb"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_generation(source: Path, target: Path) -> None:
    """Copy a generation with copy_file_range: the kernel copies without passing the bytes through this
    process, and on a file system with reflinks (XFS, Btrfs) it shares the blocks instead, so the copy of a
    large store costs nothing until pages are written. Elsewhere, or when the call is refused, a plain copy."""
    try:
        with open(source, "rb") as src, open(target, "wb") as dst:
            left = os.fstat(src.fileno()).st_size
            while left > 0:
                done = os.copy_file_range(src.fileno(), dst.fileno(), left)
                if done == 0:
                    break
                left -= done
        if left == 0:
            return
    except (AttributeError, OSError):
        pass
    shutil.copyfile(source, target)


def _point_link(db_path: Path, target: Path) -> None:
    """Atomically make db_path name target (a relative symlink, so the data folder can be moved)."""
    tmp = db_path.parent / f".{db_path.name}.link-{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    tmp.symlink_to(target.name)
    os.replace(tmp, db_path)
    _fsync(db_path.parent)


def _adopt_plain_file(db_path: Path) -> None:
    """A database handed to us as a plain file becomes generation 1 behind a symlink."""
    if db_path.exists() and not db_path.is_symlink():
        first = _next_generation(db_path)
        os.replace(db_path, first)
        _point_link(db_path, first)


def _remove_stale(db_path: Path, live: Path) -> None:
    older = [p for p in _generations(db_path) if _generation_number(p) < _generation_number(live)]
    for path in older[: max(0, len(older) - _KEEP_PREVIOUS)]:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}.wal").unlink()
    _remove_partials(db_path)


def _remove_partials(db_path: Path) -> None:
    """Partial files (and their WAL) from a writer that died before its swap. Only under the writer lock:
    DuckDB would replay a dead writer's WAL into a new copy that reuses the name, landing half a batch."""
    for partial in db_path.parent.glob(f".{db_path.name.removesuffix('.duckdb')}.gen-*.partial*"):
        if partial.is_dir():
            # DuckDB's spill folder (<file>.tmp), left behind by a writer that died mid-sort.
            shutil.rmtree(partial, ignore_errors=True)
            continue
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()


@contextlib.contextmanager
def _writer_lock(db_path: Path, timeout: float) -> Iterator[None]:
    lock_path = db_path.parent / f".{db_path.name}.lock"
    with open(lock_path, "a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"Another ingest holds {lock_path}; try again when it finishes.") from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class NotNeeded(Exception):
    """Raised by `writer` when its `needed` check finds, under the lock, that the write has nothing to do."""


@contextlib.contextmanager
def writer(
    db_path: Path | None = None, lock_timeout: float = 600.0, needed: Callable[[Path], bool] | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection to a fresh copy of the store; it goes live only if the block succeeds. `needed`, given
    the live generation's file once the lock is held, can say the write is no longer needed (another process did it
    while this one waited): then NotNeeded is raised before the store is copied, and no generation is written."""
    db_path = Path(db_path or default_db_path())
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with _writer_lock(db_path, lock_timeout):
        _adopt_plain_file(db_path)
        _remove_partials(db_path)
        if needed is not None and db_path.exists() and not needed(generation_file(db_path)):
            raise NotNeeded
        final = _next_generation(db_path)
        partial = final.with_name(f".{final.name.removesuffix('.duckdb')}.partial.duckdb")
        if db_path.exists():
            _copy_generation(db_path.resolve(), partial)
        con = duckdb.connect(
            str(partial),
            config={"memory_limit": WRITE_MEMORY_LIMIT, "checkpoint_threshold": WRITE_CHECKPOINT_THRESHOLD},
        )
        try:
            queries.create_schema(con)
            yield con
            con.execute("CHECKPOINT")
        except BaseException:
            con.close()
            with contextlib.suppress(FileNotFoundError):
                partial.unlink()
            raise
        con.close()
        _fsync(partial)
        os.replace(partial, final)
        _point_link(db_path, final)
        _remove_stale(db_path, final)


class ReadPool:
    """One read-only DuckDB connection per generation, shared by a process; callers take cursors.

    A DuckDB connection is not thread-safe, a cursor is a connection of its own: every query, in every
    Streamlit session thread, runs on its own cursor.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._roots: dict[Path, duckdb.DuckDBPyConnection] = {}

    def _root(self, target: Path) -> duckdb.DuckDBPyConnection:
        with self._lock:
            root = self._roots.get(target)
            if root is None:
                root = duckdb.connect(str(target), read_only=True, config={"memory_limit": READ_MEMORY_LIMIT})
                # Drop older generations: cursors still running keep their instance alive until they finish.
                self._roots = {target: root}
            return root

    @contextlib.contextmanager
    def cursor(self, db_path: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        db_path = Path(db_path or default_db_path())
        for attempt in range(3):
            target = generation_file(db_path)
            try:
                cur = self._root(target).cursor()
                break
            except duckdb.IOException:
                # The generation was swapped out and removed between resolve and open: resolve again.
                if attempt == 2:
                    raise
                time.sleep(0.05)
        try:
            yield cur
        finally:
            cur.close()


READERS = ReadPool()


def read_cursor(db_path: Path | None = None) -> contextlib.AbstractContextManager[duckdb.DuckDBPyConnection]:
    return READERS.cursor(db_path)
