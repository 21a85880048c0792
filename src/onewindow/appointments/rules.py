"""Who may book, change, and run a hall's queue: django-rules predicates, composed."""

import rules

from onewindow.accounts.enums import Role


def _role(*roles):
    @rules.predicate(name=f"appointments_role_{'_'.join(roles)}")
    def check(user) -> bool:
        return user.is_authenticated and user.role in roles

    return check


is_applicant = _role(Role.APPLICANT)
is_hall_staff = _role(Role.WINDOW_CLERK, Role.HELP_AGENT)
is_overseer = _role(Role.SUPERVISOR, Role.SYSTEM_ADMIN)


@rules.predicate
def owns_booking(user, booking) -> bool:
    return booking is not None and user.is_authenticated and booking.applicant_id == user.id


@rules.predicate
def works_in_hall(user, hall) -> bool:
    """`hall` is a ServiceHall: the user's window is in it."""
    return (hall is not None and user.is_authenticated and user.window_id is not None
            and user.window.hall_id == hall.pk)


@rules.predicate
def works_in_booking_hall(user, booking) -> bool:
    return (booking is not None and user.is_authenticated and user.window_id is not None
            and user.window.hall_id == booking.slot.hall_id)


rules.add_perm("appointments.book", is_applicant)
rules.add_perm("appointments.view_booking",
               owns_booking | (is_hall_staff & works_in_booking_hall) | is_overseer)
rules.add_perm("appointments.manage_booking", owns_booking)
rules.add_perm("appointments.operate_booking", is_hall_staff & works_in_booking_hall)
rules.add_perm("appointments.check_in", owns_booking | (is_hall_staff & works_in_booking_hall))
rules.add_perm("appointments.operate_hall", is_hall_staff & works_in_hall)
