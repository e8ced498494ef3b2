"""File handling at the edge: atomic writes and the build lock."""
from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import BuildLocked


def write_atomic(path: Path, data: bytes | str) -> bool:
    """Write via a temporary file and rename: readers see old or new, never half.

    Returns False (and writes nothing) when the file already holds these bytes,
    so an unchanged output keeps its timestamp.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if path.read_bytes() == raw:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)   # mkstemp makes 0600; outputs are for sharing
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


@contextmanager
def build_lock(build_dir: Path) -> Iterator[None]:
    """One build at a time per build/ folder; a second one is told so at once."""
    build_dir.mkdir(parents=True, exist_ok=True)
    with open(build_dir / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise BuildLocked("another leaflet build is running in this project",
                              path=build_dir / ".lock",
                              hint="wait for it to finish, then run the command again") from exc
        # Holding the lock, any temporary file left is from a killed build.
        for stale in build_dir.rglob(".*.tmp"):
            stale.unlink(missing_ok=True)
        yield
