"""Shared set-up for the benchmark scripts: Django on a throwaway database."""

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(var_dir: str, database_url: str | None = None) -> None:
    """Configure Django with `var_dir` as its var/ folder and migrate.

    Without `database_url` the database is a fresh SQLite file inside `var_dir`.
    """
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["ONEWINDOW_VAR_DIR"] = var_dir
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "onewindow.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


# --- one script, run on SQLite then on PostgreSQL --------------------------------------------
# Each run is a child process of its own: Django is set up once per process.

def sqlite_then_postgres_main(script: str, run, *, option: str, default: int,
                              database: str, flags: tuple[str, ...] = ()
                              ) -> tuple[str, str | None] | None:
    """The `main()` of a bench run on SQLite, then on PostgreSQL: `--<option> N` (default
    `default`) goes to `run(label, N)` in each child process, and each of `flags` given
    (`--<flag>`) as `<flag>=True`. In the parent it returns the PostgreSQL server given
    (`--pg`) and the database URL used (None when no server answered); in a child, None after
    `run`."""
    parser = argparse.ArgumentParser()
    parser.add_argument(f"--{option}", type=int, default=default)
    for flag in flags:
        parser.add_argument(f"--{flag}", action="store_true")
    _add_child_arguments(parser)
    args = parser.parse_args()
    count = getattr(args, option)
    given = {flag: True for flag in flags if getattr(args, flag)}
    if args.child:
        _in_child(args.database_url, lambda label: run(label, count, **given))
        return None
    return args.pg, _run_on_sqlite_then_postgres(
        script, [f"--{option}", str(count), *(f"--{flag}" for flag in given)], args.pg, database)


def _add_child_arguments(parser) -> None:
    """The arguments `_run_on_sqlite_then_postgres` gives the child process."""
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)


def _run_on_sqlite_then_postgres(script: str, child_args: list[str], pg_server: str,
                                database: str) -> str | None:
    """Run `script --child child_args` on a throwaway SQLite file, then on a fresh PostgreSQL
    database `database` at `pg_server`. Returns that database's URL, or None (with a note)
    when no server answers."""
    me = [sys.executable, script, "--child", *child_args]
    subprocess.run(me, check=True)
    if subprocess.run(["pg_isready", *pg_arguments(pg_server)],
                      capture_output=True).returncode != 0:
        print(f"PostgreSQL at {pg_server} not reachable: skipped")
        return None
    url = fresh_database(pg_server, database)
    subprocess.run([*me, "--database-url", url], check=True)
    return url


def fresh_database(pg_server: str, database: str) -> str:
    """An empty database `database` at `pg_server` (dropped first if it exists); its URL."""
    base = pg_arguments(pg_server)
    subprocess.run(["dropdb", *base, "--if-exists", "--force", database], check=True,
                   capture_output=True)
    subprocess.run(["createdb", *base, database], check=True)
    return f"{pg_server.rstrip('/')}/{database}"


def _in_child(database_url: str | None, body) -> None:
    """The child's side: Django on a throwaway var/ folder and `database_url` (a fresh SQLite
    file when None), notifications by email to users who have none (the real delivery path,
    without console noise), then `body("SQLite" or "PostgreSQL")`."""
    os.environ["ONEWINDOW_NOTIFY_BACKENDS"] = "onewindow.cases.notify_backends.EmailBackend"
    with tempfile.TemporaryDirectory() as var_dir:
        setup_django(var_dir, database_url)
        body("PostgreSQL" if database_url else "SQLite")


def pg_arguments(url: str) -> list[str]:
    """-h/-p/-U for the PostgreSQL command-line tools, from a postgres:// server URL."""
    return ["-h", server_host(url), "-p", server_port(url), "-U", "postgres"]


def server_host(url: str) -> str:
    return re.sub(r"^postgres(ql)?://([^@]*@)?", "", url).split(":")[0].split("/")[0]


def server_port(url: str) -> str:
    match = re.search(r":(\d+)", re.sub(r"^postgres(ql)?://", "", url))
    return match.group(1) if match else "5432"
