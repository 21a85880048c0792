"""Shared set-up for the benchmark scripts: Django on a throwaway database."""

import os
import sys
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
