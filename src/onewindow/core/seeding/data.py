"""Reading the demo data files and deriving the codes that must not be typed by hand."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from stdnum.cn import ric, uscc

DATA_DIR = Path(__file__).resolve().parent.parent / "demo_data"


def load(name: str) -> Any:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


@cache
def organisations() -> dict:
    return load("organisations.json")


def item_files() -> list[dict]:
    """Each file under items/, in name order, with its department set on every item."""
    files = []
    for path in sorted((DATA_DIR / "items").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for raw in data["items"]:
            raw.setdefault("department", data.get("department"))
            raw.setdefault("window", data.get("window"))
        files.append(data)
    return files


def all_items() -> list[dict]:
    return [raw for data in item_files() for raw in data["items"]]


def text(value: str | list[str] | None) -> str:
    """A text field may be written as a list of lines."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(value)
    return value


def make_uscc(prefix: str, region: str, org_code: str) -> str:
    """统一社会信用代码: registration authority and type, region, organisation code, check digit."""
    body = f"{prefix}{region}{org_code}"
    return uscc.validate(body + uscc.calc_check_digit(body))


def make_ric(body: str) -> str:
    """身份证号 from its first 17 digits, with python-stdnum's check digit."""
    # ric.calc_check_digit expects the full 18 characters and ignores the last one.
    return ric.validate(body + ric.calc_check_digit(body + "0"))


def implementation_code(basic_code: str, division_code: str, body_uscc: str) -> str:
    """实施编码 in the national platform's pattern: basic code, division, implementing body."""
    return f"{basic_code}-{division_code}-000-{body_uscc}-1-00"
