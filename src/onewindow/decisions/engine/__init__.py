"""The decision-table engine: pure functions, no database.

- `facts`: where an input's value comes from, and how a raw value becomes a typed one;
- `conditions`: one input's condition in one row, compiled to a test and a value set;
- `domains`: value sets (intervals, finite sets) to find rows that can both match;
- `table`: `check` / `compile_table` a table, `evaluate` it on facts.
"""

from onewindow.decisions.engine.table import (
    CompiledTable,
    InputSpec,
    Problem,
    Result,
    check,
    compile_table,
    evaluate,
)

__all__ = ["CompiledTable", "InputSpec", "Problem", "Result", "check", "compile_table",
           "evaluate"]
