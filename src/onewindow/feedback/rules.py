"""Who may do what with a rectification task: django-rules predicates, composed."""

import rules

from onewindow.accounts.enums import Role


@rules.predicate
def is_overseer(user) -> bool:
    return user.is_authenticated and user.role in (Role.SUPERVISOR, Role.SYSTEM_ADMIN)


@rules.predicate
def is_department_staff(user) -> bool:
    return user.is_authenticated and user.role in (Role.REVIEWER, Role.APPROVER,
                                                   Role.WINDOW_CLERK)


@rules.predicate
def in_task_department(user, task) -> bool:
    return task is not None and user.is_authenticated and \
        user.department_id is not None and user.department_id == task.department_id


@rules.predicate
def is_task_rater(user, task) -> bool:
    return task is not None and user.is_authenticated and task.rating.rater_id == user.pk


rules.add_perm("feedback.work_rectification", is_department_staff & in_task_department)
rules.add_perm("feedback.review_rectification", is_overseer)
rules.add_perm("feedback.appeal_rectification", is_task_rater)
rules.add_perm("feedback.import_survey", is_overseer)
