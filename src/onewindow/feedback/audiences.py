"""Who hears of a rating or a rectification."""

from django.contrib.auth import get_user_model

from onewindow.accounts.enums import Role


def department_staff(department_id: int):
    """The department's staff who handle rectifications."""
    return get_user_model().objects.filter(
        is_active=True, department_id=department_id,
        role__in=(Role.REVIEWER, Role.APPROVER, Role.WINDOW_CLERK))


def supervisors():
    return get_user_model().objects.filter(is_active=True, role=Role.SUPERVISOR)
