"""Who may keep and try decision tables: the catalog's administrators (django-rules)."""

import rules

from onewindow.catalog.rules import can_manage_catalog

rules.add_perm("decisions.manage_tables", can_manage_catalog)
