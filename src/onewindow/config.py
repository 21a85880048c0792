"""Every setting that comes from the environment, read and checked in one place.

A bad value stops start-up with an ImproperlyConfigured that names the variable.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: use one of true/false/1/0/yes/no")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [part.strip() for part in raw.split(",") if part.strip()]
    if not items:
        raise ImproperlyConfigured(f"{name} is set but lists nothing")
    return items


def env_share(name: str, default: float) -> float:
    """A fraction strictly between 0 and 1 (e.g. the share of a time limit that turns it yellow)."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number") from None
    if not 0 < value < 1:
        raise ImproperlyConfigured(f"{name}={value} must be between 0 and 1 (e.g. 0.8)")
    return value


def env_dotted_paths(name: str, default: list[str]) -> list[str]:
    paths = env_list(name, default)
    for path in paths:
        module, _dot, attr = path.rpartition(".")
        if not module or not attr.isidentifier():
            raise ImproperlyConfigured(f"{name}: {path!r} is not a dotted path to a class")
    return paths


def env_database(name: str, default_sqlite: Path) -> dict:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return sqlite_database(default_sqlite)
    try:
        cfg = dj_database_url.parse(raw, conn_max_age=60)
    except Exception as exc:  # dj_database_url raises several types for a bad URL
        raise ImproperlyConfigured(f"{name}={raw!r} is not a database URL: {exc}") from None
    engine = cfg.get("ENGINE", "")
    if engine.endswith("sqlite3"):
        return sqlite_database(Path(cfg["NAME"]))
    if not engine.endswith("postgresql"):
        raise ImproperlyConfigured(f"{name} must be a sqlite:// or postgres:// URL, not {engine}")
    cfg["TEST"] = {"NAME": f"test_{cfg['NAME']}"}
    if env_bool("DATABASE_PREPARED_STATEMENTS", True):
        # Parameters bound by the server and a statement prepared once it has run twice on a
        # connection: the server stops parsing and planning the same statements on every
        # request (about half its CPU per instant filing, docs/performance.md). Off behind a
        # pooler in transaction mode, which cannot keep a session's prepared statements.
        cfg.setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=2)
    return cfg


def sqlite_database(path: Path) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # WAL lets readers run beside one writer; IMMEDIATE takes the write lock at BEGIN,
        # so two transactions that both write serialise instead of failing half-way.
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


def env_redis_url(name: str) -> str:
    """A redis://, rediss:// or unix:// URL, or "" when unset (the caller picks a default)."""
    raw = os.environ.get(name, "").strip()
    if raw and not raw.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"{name}={raw!r} must be a redis://, rediss:// or unix:// URL")
    return raw


def local_secret_key(var_dir: Path) -> str:
    """A key kept in var/secret_key, made on first start, for machines that set none."""
    path = var_dir / "secret_key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


@dataclass(frozen=True)
class Config:
    debug: bool
    secret_key: str
    allowed_hosts: list[str]
    csrf_trusted_origins: list[str]
    database: dict
    var_dir: Path
    media_root: Path
    upload_max_bytes: int
    axes_failure_limit: int
    site_url: str
    time_zone: str
    notify_backends: list[str]
    clock_yellow_share: float
    channel_layer_url: str
    notify_max_attempts: int
    notify_queue: bool
    rating_change_days: int
    rectification_days: int
    rating_reminder_days: int
    bidding_handover_days: int
    bidding_fault_wait_hours: int
    bidding_fault_resume_hours: int

    @classmethod
    def from_environ(cls) -> Config:
        debug = env_bool("DEBUG", False)
        var_dir = Path(os.environ.get("ONEWINDOW_VAR_DIR", BASE_DIR / "var"))
        secret_key = os.environ.get("SECRET_KEY") or local_secret_key(var_dir)
        if len(secret_key) < 32:
            raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long")
        site_url = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
        if not site_url.startswith(("http://", "https://")):
            raise ImproperlyConfigured(f"SITE_URL={site_url!r} must start with http:// or https://")
        return cls(
            debug=debug,
            secret_key=secret_key,
            allowed_hosts=env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"]),
            csrf_trusted_origins=env_list("CSRF_TRUSTED_ORIGINS", [site_url]),
            database=env_database("DATABASE_URL", var_dir / "onewindow.sqlite3"),
            var_dir=var_dir,
            media_root=Path(os.environ.get("MEDIA_ROOT", var_dir / "media")),
            upload_max_bytes=env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024, minimum=1024),
            axes_failure_limit=env_int("AXES_FAILURE_LIMIT", 5, minimum=1),
            site_url=site_url,
            time_zone=os.environ.get("TIME_ZONE", "Asia/Shanghai"),
            notify_backends=env_dotted_paths(
                "ONEWINDOW_NOTIFY_BACKENDS", ["onewindow.cases.notify_backends.ConsoleBackend"]),
            notify_max_attempts=env_int("ONEWINDOW_NOTIFY_MAX_ATTEMPTS", 10, minimum=1),
            notify_queue=env_bool("ONEWINDOW_NOTIFY_QUEUE", False),
            clock_yellow_share=env_share("ONEWINDOW_CLOCK_YELLOW_SHARE", 0.8),
            channel_layer_url=env_redis_url("ONEWINDOW_CHANNEL_LAYER_URL"),
            # GB/T 39734-2020's values could not be confirmed: the zone sets them.
            rating_change_days=env_int("ONEWINDOW_RATING_CHANGE_DAYS", 7),
            rectification_days=env_int("ONEWINDOW_RECTIFICATION_DAYS", 15, minimum=1),
            rating_reminder_days=env_int("ONEWINDOW_RATING_REMINDER_DAYS", 3, minimum=1),
            # The 丽江 local rule of remote evaluation (domain/bid-evaluation.md), per zone.
            bidding_handover_days=env_int("ONEWINDOW_BIDDING_HANDOVER_DAYS", 5, minimum=1),
            bidding_fault_wait_hours=env_int("ONEWINDOW_BIDDING_FAULT_WAIT_HOURS", 2, minimum=1),
            bidding_fault_resume_hours=env_int("ONEWINDOW_BIDDING_FAULT_RESUME_HOURS", 4,
                                               minimum=1),
        )
