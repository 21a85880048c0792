"""The zone's departments, service halls (the 1+X+N network), windows and enterprises."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from onewindow.accounts.models import Department, Enterprise, ServiceHall, Window
from onewindow.core.seeding import data
from onewindow.core.seeding.sync import Recorder, add_links, sync_row


@dataclass
class Organisations:
    departments: dict[str, Department]
    department_usccs: dict[str, str]
    halls: dict[str, ServiceHall]
    windows: dict[str, Window]
    enterprises: dict[str, Enterprise]


def seed_organisations(recorder: Recorder) -> Organisations:
    org = data.organisations()
    region = org["zone"]["region"]
    departments = {raw["code"]: _department(recorder, raw) for raw in org["departments"]}
    usccs = {
        raw["code"]: data.make_uscc(raw["uscc_prefix"], region, raw["org_code"])
        for raw in org["departments"]
    }
    halls = {raw["code"]: _hall(recorder, raw) for raw in org["halls"]}
    windows = {
        f"{raw['hall']}:{raw['number']}": _window(recorder, raw, halls, departments)
        for raw in org["windows"]
    }
    enterprises = {raw["key"]: _enterprise(recorder, raw, region) for raw in org["enterprises"]}
    return Organisations(departments, usccs, halls, windows, enterprises)


def _department(recorder: Recorder, raw: dict) -> Department:
    values = {k: raw[k] for k in ("name", "short_name", "description", "phone", "order")}
    return sync_row(recorder, Department, lookup={"code": raw["code"]}, values=values)


def _hall(recorder: Recorder, raw: dict) -> ServiceHall:
    fields = ("name", "level", "address", "phone", "opening_hours", "offers_after_hours")
    values = {k: raw[k] for k in fields}
    return sync_row(recorder, ServiceHall, lookup={"code": raw["code"]}, values=values)


def _window(recorder: Recorder, raw: dict, halls: dict, departments: dict) -> Window:
    window = sync_row(
        recorder,
        Window,
        lookup={"hall": halls[raw["hall"]], "number": raw["number"]},
        values={"name": raw["name"], "kind": raw["kind"]},
    )
    window.hall = halls[raw["hall"]]  # the same row; saves a query per use of window.hall
    add_links(recorder, window, "departments", [departments[c] for c in raw["departments"]])
    return window


def _enterprise(recorder: Recorder, raw: dict, region: str) -> Enterprise:
    values = {
        k: raw[k] for k in ("name", "legal_representative", "address", "industry", "credit_status")
    }
    values["established_on"] = dt.date.fromisoformat(raw["established_on"])
    code = data.make_uscc("91", region, raw["org_code"])
    return sync_row(recorder, Enterprise, lookup={"uscc": code}, values=values)
