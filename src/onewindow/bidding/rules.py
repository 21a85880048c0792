"""Who may do what in bid evaluation: django-rules predicates.

Committee membership is checked by the session services themselves (`selectors.member_for`),
since it depends on the member's status at the moment of the locked write.
"""

import rules

from onewindow.accounts.enums import Role


@rules.predicate
def is_system_admin(user) -> bool:
    return user.is_authenticated and (user.role == Role.SYSTEM_ADMIN or user.is_superuser)


@rules.predicate
def is_venue_operator(user) -> bool:
    return user.is_authenticated and user.role == Role.VENUE_OPERATOR


@rules.predicate
def operates_main_venue(user, tender) -> bool:
    return tender is not None and user.is_authenticated and \
        tender.main_venue.operators.filter(pk=user.pk).exists()


@rules.predicate
def operates_a_venue_of(user, tender) -> bool:
    if tender is None or not user.is_authenticated:
        return False
    if tender.main_venue.operators.filter(pk=user.pk).exists():
        return True
    return tender.sub_venues.filter(operators=user).exists()


can_manage_bidding = is_system_admin | is_venue_operator
can_manage_tender = is_system_admin | (is_venue_operator & operates_main_venue)
can_watch_tender = is_system_admin | (is_venue_operator & operates_a_venue_of)

rules.add_perm("bidding.manage", can_manage_bidding)
rules.add_perm("bidding.manage_tender", can_manage_tender)
rules.add_perm("bidding.watch_tender", can_watch_tender)
