"""Who may see and do what with a case: django-rules predicates, composed."""

import rules

from onewindow.accounts.enums import Role
from onewindow.accounts.selectors import authorisation_covering


@rules.predicate
def is_case_applicant(user, case) -> bool:
    if case is None or not user.is_authenticated:
        return False
    if user.role == Role.HELP_AGENT:
        # An agent acts only under an authorisation in force, even on a case it filed itself.
        return authorisation_covering(agent=user, enterprise=case.enterprise,
                                      item=case.item) is not None
    if case.applicant_id == user.id or case.filed_by_id == user.id:
        return True
    return case.enterprise_id is not None and user.memberships.filter(
        enterprise_id=case.enterprise_id).exists()


def _role(*roles):
    @rules.predicate(name=f"has_role_{'_'.join(roles)}")
    def check(user) -> bool:
        return user.is_authenticated and user.role in roles

    return check


is_window_clerk = _role(Role.WINDOW_CLERK)
is_reviewer = _role(Role.REVIEWER, Role.APPROVER)
is_approver = _role(Role.APPROVER)
is_overseer = _role(Role.SUPERVISOR, Role.SYSTEM_ADMIN)


@rules.predicate
def in_case_department(user, case) -> bool:
    return case is not None and user.is_authenticated and \
        user.department_id is not None and user.department_id == case.department_id


department_reviewer = is_reviewer & in_case_department
department_approver = is_approver & in_case_department

can_view_case = is_case_applicant | is_window_clerk | department_reviewer | is_overseer
can_see_internal_notes = is_window_clerk | department_reviewer | is_overseer

rules.add_perm("cases.view_case", can_view_case)
rules.add_perm("cases.see_internal", can_see_internal_notes)
rules.add_perm("cases.apply", is_case_applicant)
rules.add_perm("cases.intake", is_window_clerk)
rules.add_perm("cases.review", department_reviewer)
rules.add_perm("cases.decide", department_approver)
rules.add_perm("cases.finish", is_window_clerk | department_reviewer)
