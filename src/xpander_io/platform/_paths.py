"""Where the embedded local platform keeps its data (one rule for every entry point)."""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR_VARIABLE = "XPANDER_DATA_DIR"
"""The environment variable naming the data directory."""
DEFAULT_DATA_DIR = ".xpander-data"
"""The data directory when neither an option nor the variable names one."""
LOCAL_DATABASE = "platform.sqlite3"
"""The SQLite file of the local platform, inside the data directory."""


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``explicit``, else ``$XPANDER_DATA_DIR`` (if not blank), else ``./.xpander-data``."""
    if explicit:
        return Path(explicit)
    from_environment = (os.environ.get(DATA_DIR_VARIABLE) or "").strip()
    return Path(from_environment or DEFAULT_DATA_DIR)


def database_path(directory: Path) -> Path:
    """The local platform's SQLite file in ``directory``."""
    return directory / LOCAL_DATABASE


__all__ = ["DATA_DIR_VARIABLE", "DEFAULT_DATA_DIR", "LOCAL_DATABASE", "data_dir", "database_path"]
