"""The decision-table engine: checking, overlap detection and evaluation (no database)."""

import datetime as dt

import pytest

from onewindow.decisions.engine import check, compile_table, evaluate
from onewindow.decisions.engine.facts import FactInvalid, coerce
from onewindow.decisions.errors import TableInvalid
from onewindow.decisions.seeding import PROJECT_FILING

INPUTS = [
    {"name": "amount", "label": "金额", "type": "number", "source": "form:amount"},
    {"name": "kind", "type": "enum", "choices": ["新建", "扩建", "改建"], "source": "form:kind"},
    {"name": "credit", "source": "enterprise.credit_status"},
    {"name": "since", "type": "date", "source": "enterprise.established_on"},
    {"name": "local", "type": "boolean", "source": "form:local"},
    {"name": "city", "type": "string", "source": "form:city"},
]


def row(outcome="approve", reason="理由", **when):
    return {"when": when, "outcome": outcome, "reason": reason}


def messages(rows, policy="unique", inputs=INPUTS):
    return [p.message for p in check(policy, inputs, rows)[1]]


def table(rows, policy="first", inputs=INPUTS):
    return compile_table(policy, inputs, rows)


# --- evaluation --------------------------------------------------------------------------------
def test_evaluate_demo_table_approves_small_encouraged_project():
    demo = compile_table(PROJECT_FILING["hit_policy"], PROJECT_FILING["inputs"],
                         PROJECT_FILING["rows"])
    result = evaluate(demo, {"信用状态": "normal", "属于核准目录": False,
                             "产业政策类别": "鼓励类", "总投资": 3200.0})
    assert (result.outcome, result.row) == ("approve", 4)
    assert "予以备案" in result.reason


@pytest.mark.parametrize(("facts", "expected_row"), [
    ({"信用状态": "blacklist", "总投资": 10.0}, 1),
    ({"信用状态": "good", "属于核准目录": True}, 2),
    ({"信用状态": "good", "属于核准目录": False, "产业政策类别": "淘汰类"}, 3),
    ({"信用状态": "watch", "属于核准目录": False, "产业政策类别": "允许类", "总投资": 1e5}, 5),
])
def test_evaluate_demo_table_refers_with_row(facts, expected_row):
    demo = compile_table("unique", PROJECT_FILING["inputs"], PROJECT_FILING["rows"])
    result = evaluate(demo, facts)
    assert (result.outcome, result.row) == ("refer", expected_row)


def test_evaluate_first_policy_takes_first_matching_row():
    rows = [row("refer", "大额", amount=[">=", 100]), row("approve", "全部", amount=["any"])]
    compiled = table(rows)
    assert evaluate(compiled, {"amount": 150.0}).row == 1
    assert evaluate(compiled, {"amount": 5.0}).row == 2


def test_evaluate_operators_each_hold_where_they_should():
    cases = [
        (["between", 10, 20], 10.0, True), (["between", 10, 20], 20.5, False),
        (["<", 10], 9.99, True), (["<=", 10], 10.0, True), ([">", 10], 10.0, False),
        ([">=", 10], 10.0, True), (["!=", 10], 10.0, False), (["in", [1, 2]], 2.0, True),
        (["not in", [1, 2]], 3.0, True), ([[">", 0], ["<", 5]], 5.0, False), (7, 7.0, True),
    ]
    for condition, value, holds in cases:
        compiled = table([row(amount=condition)])
        assert (evaluate(compiled, {"amount": value}).row == 1) is holds, (condition, value)


def test_evaluate_dates_enums_booleans_and_text():
    compiled = table([row(since=["<", "2020-01-01"], kind=["in", ["扩建", "改建"]], local=True,
                          city=["not in", ["北京"]])])
    facts = {"since": dt.date(2019, 12, 31), "kind": "扩建", "local": True, "city": "青岛"}
    assert evaluate(compiled, facts).row == 1
    assert evaluate(compiled, {**facts, "since": dt.date(2020, 1, 1)}).row is None
    assert evaluate(compiled, {**facts, "city": "北京"}).row is None


def test_evaluate_no_matching_row_refers_with_reason():
    result = evaluate(table([row(amount=["<", 10])]), {"amount": 50.0})
    assert (result.outcome, result.row) == ("refer", None)
    assert result.reason == "没有适用的规则行，转人工办理。"


def test_evaluate_missing_fact_refers_naming_it():
    result = evaluate(table([row(amount=["<", 10], credit="good")]), {"credit": "good"})
    assert result.outcome == "refer" and result.missing == ("金额",)
    assert "缺少判断所需的信息：金额" in result.reason


def test_evaluate_first_policy_stops_at_undecidable_row():
    rows = [row("refer", "大额转人工", amount=[">", 100]), row("approve", "其余秒批")]
    result = evaluate(table(rows), {})
    assert result.outcome == "refer" and result.missing == ("金额",)


def test_evaluate_missing_fact_irrelevant_when_row_does_not_test_it():
    rows = [row("approve", "好信用", credit="good")]
    assert evaluate(table(rows), {"credit": "good"}).row == 1  # amount missing: not asked


def test_evaluate_unique_policy_decides_despite_missing_fact_in_other_row():
    rows = [row("refer", "黑名单", credit="blacklist"),
            row("approve", "其他", credit=["!=", "blacklist"], amount=["<", 10])]
    compiled = table(rows, policy="unique")
    assert evaluate(compiled, {"credit": "blacklist"}).row == 1


# --- refusals ----------------------------------------------------------------------------------
def test_check_unknown_field_refused_naming_row():
    found = messages([row(amount=1), row(amout=["<", 5])])
    assert found == ["第2行：字段“amout”未在输入中声明（已声明：amount、kind、credit、since、"
                     "local、city）"]


@pytest.mark.parametrize(("condition", "field", "expected"), [
    (("amount", ["<", "100"]), "amount", "字段“amount”是数字，不能与 \"100\" 比较"),
    (("amount", True), "amount", "字段“amount”是数字，不能与 true 比较"),
    (("since", [">", "去年"]), "since", "字段“since”是日期，不能与 \"去年\" 比较"),
    (("local", "是"), "local", "字段“local”是是/否，不能与 \"是\" 比较"),
    (("kind", ["in", ["新建", "迁建"]]), "kind",
     "字段“kind”的值 \"迁建\" 不是可选项（可选：新建、扩建、改建）"),
    (("credit", "黑名单"), "credit", "字段“credit”的值 \"黑名单\" 不是可选项"),
    (("city", ["<", "北京"]), "city", "字段“city”是文本，不能用“<”比较大小"),
])
def test_check_wrong_type_refused_naming_row_and_field(condition, field, expected):
    name, spec = condition
    found = messages([row(**{name: spec})])
    assert len(found) == 1 and found[0].startswith("第1行：") and expected in found[0]


def test_check_bad_operator_and_arity_refused():
    found = messages([row(amount=["~", 1]), row(amount=["between", 5]),
                      row(amount=["between", 9, 1])], policy="first")
    assert [m[:3] for m in found] == ["第1行", "第2行", "第3行"]
    assert "运算符可用" in found[0] and "需要两个值" in found[1] and "下限 9 大于上限 1" in found[2]


def test_check_row_without_reason_or_with_bad_outcome_refused():
    found = messages([{"when": {}, "outcome": "approved"}])
    assert ("第1行：结果 outcome 应为 approve（准予）或 refer（转人工办理），"
            "而不是“approved”") in found
    assert "第1行：缺少理由 reason（申请人和工作人员会看到它）" in found


def test_check_inputs_problems_refused():
    inputs = [{"name": "a", "type": "number", "source": "enterprise.capital"},
              {"name": "b", "type": "number", "source": "enterprise.credit_status"},
              {"name": "c", "type": "enum", "source": "form:c"},
              {"name": "c", "type": "string", "source": "form:x"}]
    found = messages([row(a=1)], inputs=inputs)
    assert any("输入第 1 项：“a”的来源“enterprise.capital”未知" in m for m in found)
    assert not any("未在输入中声明" in m for m in found)  # the row is not blamed for "a"
    assert any("输入第 2 项：“b”的类型应为 enum" in m for m in found)
    assert any("输入第 3 项：“c”是可选项，choices 应列出" in m for m in found)
    assert any("输入第 4 项：名称“c”重复" in m for m in found)


def test_check_overlapping_rows_under_unique_refused_with_example():
    found = messages([row(amount=["<", 100]), row(amount=["between", 50, 200], kind="新建")])
    assert len(found) == 1
    assert found[0].startswith("第2行：与第1行可能同时满足（例如 金额=50、kind=新建）")


def test_check_first_policy_allows_overlap():
    rows = [row(amount=["<", 100]), row(amount=["between", 50, 200])]
    assert messages(rows, policy="first") == []
    assert compile_table("first", INPUTS, rows).rows[1].number == 2


@pytest.mark.parametrize("pair", [
    ({"amount": ["<", 100]}, {"amount": [">=", 100]}),
    ({"amount": ["in", [1, 2]]}, {"amount": ["not in", [1, 2]]}),
    ({"amount": ["!=", 5]}, {"amount": 5}),
    ({"since": ["<", "2025-01-02"]}, {"since": [">", "2025-01-01"]}),  # no day between
    ({"kind": ["in", ["新建", "扩建"]]}, {"kind": ["not in", ["新建", "扩建"]]}),
    ({"kind": "新建"}, {"kind": ["not in", ["新建"]]}),
    ({"local": True}, {"local": ["!=", True]}),
    ({"city": "青岛"}, {"city": ["!=", "青岛"]}),
    ({"credit": "blacklist", "amount": [">", 1]}, {"credit": ["!=", "blacklist"]}),
    ({"amount": [[">", 0], ["<", 10]]}, {"amount": [[">=", 10], ["<", 20]]}),
])
def test_check_disjoint_rows_under_unique_accepted(pair):
    first, second = pair
    assert messages([row(**first), row(**second)]) == []


@pytest.mark.parametrize("pair", [
    ({"amount": ["<=", 100]}, {"amount": [">=", 100]}),
    ({"since": ["<=", "2025-01-02"]}, {"since": [">", "2025-01-01"]}),
    ({"kind": ["not in", ["新建"]]}, {"kind": ["not in", ["扩建"]]}),
    ({"city": ["!=", "青岛"]}, {"city": ["!=", "北京"]}),
    ({}, {"amount": 3}),
])
def test_check_overlapping_rows_under_unique_found(pair):
    first, second = pair
    found = messages([row(**first), row(**second)])
    assert len(found) == 1 and "第2行：与第1行可能同时满足" in found[0]


def test_compile_table_raises_table_invalid_listing_rows():
    with pytest.raises(TableInvalid) as raised:
        compile_table("unique", INPUTS, [row(amount="x"), row(nope=1)])
    assert [p.row for p in raised.value.problems] == [1, 2]
    assert "决策表有 2 处问题，不能发布" in raised.value.message


# --- reading facts -----------------------------------------------------------------------------
@pytest.mark.parametrize(("raw", "type_", "expected"), [
    ("1,200.5", "number", 1200.5), (3, "number", 3.0), ("是", "boolean", True),
    ("false", "boolean", False), ("2024-05-01", "date", dt.date(2024, 5, 1)),
    (" 新建 ", "enum", "新建"), ("", "number", None), (None, "string", None),
])
def test_coerce_reads_form_values(raw, type_, expected):
    assert coerce(raw, type_, ("新建",)) == expected


@pytest.mark.parametrize(("raw", "type_"), [("abc", "number"), (True, "number"),
                                            ("maybe", "boolean"), ("2024-13-01", "date"),
                                            ("迁建", "enum"), ("nan", "number")])
def test_coerce_refuses_unreadable_value(raw, type_):
    with pytest.raises(FactInvalid):
        coerce(raw, type_, ("新建",))


def test_applicant_credit_status_is_the_enterprises_or_the_persons():
    from onewindow.accounts.models import Enterprise, User
    from onewindow.cases.models import Case
    from onewindow.decisions.engine.facts import PLATFORM_FACTS

    read = PLATFORM_FACTS["applicant.credit_status"].read
    person = User(pk=2, credit_status="blacklist")
    enterprise = Enterprise(pk=1, credit_status="good")
    as_enterprise = Case(enterprise=enterprise, applicant=person)  # unsaved: no database
    as_person = Case(applicant=person)
    today = dt.date(2026, 3, 2)
    assert (read(as_enterprise, today), read(as_person, today)) == ("good", "blacklist")
