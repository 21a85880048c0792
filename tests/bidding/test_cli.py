"""`onewindow bidding score FILE.json` and `onewindow bidding ocds NUMBER`."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

EXAMPLE_1 = {
    "method": "comprehensive", "price_weight": 30,
    "bids": [
        {"id": "A", "bidder": "甲公司", "price": 950000, "scores": [60, 62, 58, 61, 59]},
        {"id": "B", "bidder": "乙公司", "price": "1000000", "scores": [66, 65, 67, 64, 68]},
        {"id": "C", "bidder": "丙公司", "price": 1100000, "scores": [69, 68, 70, 67, 66]},
    ],
}


def run(tmp_path, doc, capsys):
    path = tmp_path / "tender.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    call_command("bidding", "score", str(path))
    return json.loads(capsys.readouterr().out)


def test_score_worked_example_1(tmp_path, capsys):
    out = run(tmp_path, EXAMPLE_1, capsys)
    assert [(r["rank"], r["id"], r["price_score"], r["technical_score"], r["total"])
            for r in out["ranking"]] == [(1, "B", "28.50", "66.00", "94.50"),
                                          (2, "C", "25.91", "68.00", "93.91"),
                                          (3, "A", "30.00", "60.00", "90.00")]


def test_score_lowest_price_ties_and_exclusion(tmp_path, capsys):
    out = run(tmp_path, {"method": "lowest_price", "bids": [
        {"id": "A", "price": 1020000}, {"id": "B", "price": 998000, "compliant": False,
                                        "reason": "不满足实质性要求"},
        {"id": "C", "price": 1005000}, {"id": "D", "price": 1005000}]}, capsys)
    assert [(r["rank"], r["id"], r["tied"]) for r in out["ranking"]] == [
        (1, "C", True), (1, "D", True), (3, "A", False)]
    assert out["excluded"] == [{"id": "B", "bidder": "", "price": "998000",
                                "reason": "不满足实质性要求"}]


def test_score_per_criterion_with_bounds(tmp_path, capsys):
    doc = {"method": "comprehensive", "price_weight": 20,
           "criteria": [{"id": "tech", "max": 50}, {"id": "service", "max": 30}],
           "bids": [{"id": "P1", "price": 800000,
                     "scores": {"e1": {"tech": 46, "service": 30}}},
                    {"id": "P2", "price": 1000000,
                     "scores": {"e1": {"tech": 50, "service": 30}}}]}
    out = run(tmp_path, doc, capsys)
    assert [(r["id"], r["total"]) for r in out["ranking"]] == [("P1", "96.00"),
                                                               ("P2", "96.00")]
    doc["bids"][0]["scores"]["e1"]["tech"] = 51
    with pytest.raises(CommandError, match="outside 0..50"):
        run(tmp_path, doc, capsys)


def test_score_trimmed_mean_option(tmp_path, capsys):
    doc = {"price_weight": 30, "trimmed_mean": True,
           "bids": [{"id": "A", "price": 1, "scores": [40, 80, 80, 80, 100]}]}
    assert run(tmp_path, doc, capsys)["ranking"][0]["technical_score"] == "80.00"


def test_score_decimal_not_float(tmp_path, capsys):
    path = tmp_path / "t.json"
    path.write_text('{"price_weight": 30, "bids": [{"id": "A", "price": 1, '
                    '"scores": [0.125]}]}', "utf-8")
    call_command("bidding", "score", str(path))
    assert json.loads(capsys.readouterr().out)["ranking"][0]["technical_score"] == "0.13"


@pytest.mark.parametrize(("doc", "message"), [
    ("not json", "not JSON"),
    ({"bids": "x"}, "bids"),
    ({"method": "auction", "bids": []}, "method"),
    ({"bids": [{"id": "A"}]}, "price"),
    ({"bids": [{"id": "A", "price": -1}]}, "positive"),
    ({"bids": [{"id": "A", "price": 1}, {"id": "A", "price": 2}]}, "unique"),
    ({"bids": [{"id": "A", "price": 1, "scores": ["x"]}]}, "number"),
])
def test_score_bad_input_clear_error(tmp_path, doc, message):
    path = tmp_path / "bad.json"
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), "utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("bidding", "score", str(path))


def test_score_missing_file():
    with pytest.raises(CommandError, match="cannot read"):
        call_command("bidding", "score", "/nonexistent/file.json")


def test_cli_entry_point_prints_json(tmp_path):
    path = tmp_path / "tender.json"
    path.write_text(json.dumps(EXAMPLE_1), "utf-8")
    onewindow = Path(sys.executable).with_name("onewindow")
    done = subprocess.run([str(onewindow), "bidding", "score", str(path)], capture_output=True,
                          text=True, timeout=120,
                          env={"ONEWINDOW_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ranking"][0]["id"] == "B"


def test_ocds_command(evaluation, capsys):
    call_command("bidding", "ocds", evaluation.tender.number)
    package = json.loads(capsys.readouterr().out)
    assert package["version"] == "1.1" and len(package["releases"]) == 1
    with pytest.raises(CommandError, match="no tender"):
        call_command("bidding", "ocds", "NOPE")
