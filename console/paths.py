"""Where the console keeps its files (platformdirs, so each OS gets its usual places)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "agent-console"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def demo_backend_db() -> Path:
    return data_dir() / "demo" / "backend.db"
