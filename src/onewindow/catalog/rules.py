"""Who may do what with the catalog (django-rules predicates, autodiscovered at start-up).

Model permissions for the admin site come from the Django group made by
`services.catalog_admin_group()`; the pages outside the admin check the permissions below.
"""

import rules

from onewindow.accounts.enums import Role


@rules.predicate
def is_catalog_admin(user) -> bool:
    return getattr(user, "role", None) == Role.CATALOG_ADMIN


@rules.predicate
def is_system_admin(user) -> bool:
    return getattr(user, "role", None) == Role.SYSTEM_ADMIN


can_manage_catalog = rules.is_active & (is_catalog_admin | is_system_admin | rules.is_superuser)

rules.add_perm("catalog.import_items", can_manage_catalog)
rules.add_perm("catalog.export_items", can_manage_catalog)
