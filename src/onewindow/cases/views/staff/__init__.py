"""The staff side of cases: the workbench queues (`queue`) and the case page with its actions
(`case`). `cases/urls.py` refers to `staff.workbench`, `staff.detail` and `staff.act`."""

from onewindow.cases.views.staff.case import act, detail
from onewindow.cases.views.staff.queue import workbench

__all__ = ["act", "detail", "workbench"]
