"""A web worker loads what every request needs, not what a few pages need: openpyxl (Excel
import and export), reportlab (PDFs, rendered on first download) and jieba (the guide's
search) add about 60 MB to a worker and are imported by the code that uses them."""

import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("openpyxl", "reportlab", "jieba", "PIL")

LOAD_EVERY_VIEW = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.settings")
from onewindow.wsgi import application
from django.urls import get_resolver
get_resolver()._populate()  # imports every view module, as a worker's first request does
print(" ".join(name for name in {heavy!r} if name in sys.modules))
"""


def test_loading_every_view_leaves_the_heavy_libraries_unloaded(tmp_path):
    env = {**os.environ, "ONEWINDOW_VAR_DIR": str(tmp_path), "DEBUG": "false"}
    env.pop("DATABASE_URL", None)
    src = Path(__file__).resolve().parents[2] / "src"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(src), env.get("PYTHONPATH")]))
    done = subprocess.run([sys.executable, "-c", LOAD_EVERY_VIEW.format(heavy=HEAVY)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
