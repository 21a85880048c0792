"""Who may see and do what with a request: django-rules predicates, composed."""

import rules

from onewindow.accounts.enums import Role

DISPATCHER_ROLES = frozenset({Role.SUPERVISOR, Role.SYSTEM_ADMIN})
DEPARTMENT_ROLES = frozenset({Role.REVIEWER, Role.APPROVER})
PHONE_ROLES = frozenset({Role.WINDOW_CLERK, Role.HELP_AGENT, Role.SUPERVISOR})


@rules.predicate
def is_dispatcher(user) -> bool:
    return user.is_authenticated and user.role in DISPATCHER_ROLES


@rules.predicate
def is_department_staff(user) -> bool:
    return user.is_authenticated and user.role in DEPARTMENT_ROLES and \
        user.department_id is not None


@rules.predicate
def takes_phone_requests(user) -> bool:
    return user.is_authenticated and user.role in PHONE_ROLES


@rules.predicate
def is_requester(user, request) -> bool:
    if request is None or not user.is_authenticated:
        return False
    return request.requester_id == user.id or request.filed_by_id == user.id


@rules.predicate
def is_own_account_requester(user, request) -> bool:
    return request is not None and user.is_authenticated and request.requester_id == user.id


@rules.predicate
def in_assigned_department(user, request) -> bool:
    """The user's department has (or had) a part in the request."""
    if request is None or not is_department_staff(user):
        return False
    return request.assignments.filter(department_id=user.department_id).exists()


@rules.predicate
def in_lead_department(user, request) -> bool:
    return request is not None and is_department_staff(user) and \
        request.lead_department_id == user.department_id


can_view = is_requester | is_dispatcher | in_assigned_department

rules.add_perm("complaints.view_request", can_view)
rules.add_perm("complaints.see_internal", is_dispatcher | in_assigned_department)
rules.add_perm("complaints.dispatch", is_dispatcher)
rules.add_perm("complaints.handle", in_assigned_department)
rules.add_perm("complaints.lead", in_lead_department)
rules.add_perm("complaints.requester", is_own_account_requester)
rules.add_perm("complaints.withdraw", is_requester)
rules.add_perm("complaints.file_by_phone", takes_phone_requests)
rules.add_perm("complaints.view_metrics", is_dispatcher)
