"""What an import found wrong, and what it changed."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where (sheet, Excel row number, column header) and why."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""


class CellError(ValueError):
    """A converter could not read one cell; the message is shown to the administrator."""


class ImportRejected(Exception):
    """The file was refused as a whole; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass
class ImportResult:
    """Counts of one import. `changed` is False when the file matched the catalog exactly."""

    items_created: int = 0
    items_updated: int = 0
    items_unchanged: int = 0
    items_skipped: int = 0
    departments_created: int = 0
    materials_created: int = 0
    materials_updated: int = 0
    materials_deleted: int = 0
    steps_created: int = 0
    steps_updated: int = 0
    steps_deleted: int = 0
    batch_id: int | None = None
    changed_codes: list[str] = field(default_factory=list, repr=False)

    @property
    def changed(self) -> bool:
        return bool(self.items_created or self.items_updated or self.departments_created)

    def counts(self) -> dict[str, int]:
        return {
            name: value for name, value in vars(self).items()
            if isinstance(value, int) and name != "batch_id"
        }
