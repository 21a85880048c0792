"""Who may do what in the guide: anyone asks; catalog administrators keep the synonyms and
scenarios and read the question log.

The permissions are rules (django-rules), not rows in the catalog administrators' group: the
group's permission set belongs to the catalog app, and a rule needs no re-run of
`catalog admin-group` when this app changes."""

import rules

from onewindow.accounts.enums import Role


@rules.predicate
def is_catalog_admin(user) -> bool:
    return getattr(user, "role", None) in (Role.CATALOG_ADMIN, Role.SYSTEM_ADMIN)


can_curate = rules.is_authenticated & rules.is_active & is_catalog_admin

rules.add_perm("guide", can_curate)  # the app in the admin site's index
rules.add_perm("guide.review_queries", can_curate)
for model in ("synonym", "scenario", "scenariostep"):
    for action in ("view", "add", "change", "delete"):
        rules.add_perm(f"guide.{action}_{model}", can_curate)
rules.add_perm("guide.view_querylog", can_curate)
