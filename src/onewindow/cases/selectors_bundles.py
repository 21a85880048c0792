"""Reads for bundles (一件事): the one form, a bundle's parent case and its parts.

The one form (`bundle_form_spec`) is the union of the items' forms and materials:
- a form field is known by its name; a field several items ask is asked once;
- two materials are the same document when they have the same name, or when the catalog says
  the same item produces them (`produced_by`); such a document is uploaded once and attached
  to every child case that needs it;
- a document that another chosen item of the bundle produces is not asked at all (GovStack
  Registration rule): that item's result provides it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django import forms
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from onewindow.cases.enums import CaseState, Decision
from onewindow.cases.forms import ApplicationForm
from onewindow.cases.models import Case, CaseDocument, SubmittedMaterial
from onewindow.cases.selectors import case_get_for_user, visible_cases
from onewindow.catalog.models import Bundle, BundleItem, MaterialRequirement, ServiceItem

S = CaseState
# A part (child case) that has its result, and one that ended without it.
DONE_STATES = frozenset({S.COMPLETED, S.DELIVERED})
ENDED_STATES = frozenset({S.NOT_ACCEPTED, S.WITHDRAWN, S.TERMINATED, S.REVOKED})
PAST_ACCEPTANCE_STATES = frozenset({S.DECIDED, S.COMPLETED, S.DELIVERED, S.REVOKED})
OPTIONAL_FIELD = "optional_items"  # the one form's choice of optional items, kept in form_data


def item_form_fields(item: ServiceItem) -> dict[str, forms.Field]:
    """The application form fields of `item`, by name. Today every item has the same form
    (`forms.ApplicationForm`); per-item forms will answer here."""
    return dict(ApplicationForm.base_fields)


@dataclass(frozen=True)
class FormField:
    name: str
    field: forms.Field
    items: tuple[ServiceItem, ...]  # the chosen items that ask it


@dataclass(frozen=True)
class MaterialSlot:
    """One document of the one form. `requirements`: every material of the bundle's items that
    is this document (bundle order); `needed`: those of the chosen items."""

    requirements: tuple[MaterialRequirement, ...]
    needed: tuple[MaterialRequirement, ...]
    provided_by: ServiceItem | None  # a chosen item of the bundle whose result is this document

    @property
    def key(self) -> int:
        """The slot's name in URLs and uploads: the pk of its first material (stable whatever
        the choice of optional items)."""
        return self.requirements[0].pk

    @property
    def primary(self) -> MaterialRequirement:
        return self.requirements[0]

    @property
    def name(self) -> str:
        return (self.needed or self.requirements)[0].name

    @property
    def other_names(self) -> list[str]:
        return _unique(r.name for r in self.needed if r.name != self.name)

    @property
    def required(self) -> bool:
        """Asked of the applicant: not what the window obtains itself (`fetched`)."""
        return any(r.required and not r.fetched for r in self.needed)

    @property
    def fetched(self) -> bool:
        return bool(self.needed) and all(r.fetched for r in self.needed)

    @property
    def asked(self) -> bool:
        return bool(self.needed) and self.provided_by is None

    @property
    def items(self) -> list[ServiceItem]:
        return _unique(r.item for r in self.needed)

    @property
    def description(self) -> str:
        return next((r.description for r in self.needed if r.description), "")

    @property
    def file_type_list(self) -> list[str]:
        """The file types every item that needs it accepts."""
        types = list((self.needed or self.requirements)[0].file_type_list)
        for requirement in self.needed:
            types = [t for t in types if t in requirement.file_type_list]
        return types


@dataclass(frozen=True)
class BundleFormSpec:
    bundle: Bundle
    entries: tuple[BundleItem, ...]  # the bundle's published items, in order
    chosen: tuple[BundleItem, ...]  # the mandatory ones and the optional ones chosen
    fields: tuple[FormField, ...]
    slots: tuple[MaterialSlot, ...]

    @property
    def optional(self) -> list[BundleItem]:
        return [e for e in self.entries if e.is_optional]

    @property
    def asked(self) -> list[MaterialSlot]:
        return [s for s in self.slots if s.asked]

    @property
    def provided(self) -> list[MaterialSlot]:
        return [s for s in self.slots if s.needed and s.provided_by is not None]

    def slot(self, key: int) -> MaterialSlot | None:
        return next((s for s in self.slots if s.key == key), None)

    def field_names_for(self, item: ServiceItem) -> list[str]:
        return [f.name for f in self.fields if item in f.items]

    def uploads_for(self, item: ServiceItem) -> list[tuple[MaterialSlot, MaterialRequirement]]:
        """(slot, the item's material) for each material of `item` the applicant uploads."""
        return [(slot, r) for slot in self.asked for r in slot.needed if r.item_id == item.pk]

    def provided_for(self, item: ServiceItem) -> list[tuple[MaterialSlot, MaterialRequirement]]:
        return [(slot, r) for slot in self.provided for r in slot.needed if r.item_id == item.pk]


def bundle_entries(bundle: Bundle) -> list[BundleItem]:
    """The bundle's published items in order, with department and materials."""
    cached = getattr(bundle, "published_items", None)  # catalog.selectors.bundle_get
    if cached is not None:
        return list(cached)
    materials = MaterialRequirement.objects.order_by("order", "pk")
    return list(BundleItem.objects.filter(bundle=bundle, item__is_published=True)
                .select_related("item__department")
                .prefetch_related(Prefetch("item__materials", queryset=materials))
                .order_by("order", "pk"))


def bundle_form_spec(bundle: Bundle, *, optional_item_ids: Iterable[int] | None = None,
                     fields_of: Callable[[ServiceItem], dict] = item_form_fields
                     ) -> BundleFormSpec:
    """The one form of `bundle` for its mandatory items and the optional ones in
    `optional_item_ids` (None: every item, as the guide shows the bundle)."""
    entries = tuple(bundle_entries(bundle))
    wanted = None if optional_item_ids is None else {int(i) for i in optional_item_ids}
    chosen = tuple(e for e in entries
                   if not e.is_optional or wanted is None or e.item_id in wanted)
    return BundleFormSpec(bundle, entries, chosen, _merge_fields(chosen, fields_of),
                          _merge_materials(entries, chosen))


def _merge_fields(chosen, fields_of) -> tuple[FormField, ...]:
    fields: dict[str, forms.Field] = {}
    users: dict[str, list[ServiceItem]] = {}
    for entry in chosen:
        for name, field in fields_of(entry.item).items():
            fields.setdefault(name, field)
            users.setdefault(name, []).append(entry.item)
    return tuple(FormField(name, field, tuple(users[name])) for name, field in fields.items())


def _merge_materials(entries, chosen) -> tuple[MaterialSlot, ...]:
    requirements = [m for e in entries for m in e.item.materials.all()]
    chosen_items = {e.item_id: e.item for e in chosen}
    return tuple(_slot(group, chosen_items) for group in _same_documents(requirements))


def _slot(group: list[MaterialRequirement], chosen_items: dict) -> MaterialSlot:
    needed = tuple(r for r in group if r.item_id in chosen_items)
    producer = next((chosen_items[r.produced_by_id] for r in group
                     if r.produced_by_id in chosen_items
                     and any(n.item_id != r.produced_by_id for n in needed)), None)
    return MaterialSlot(tuple(group), needed, producer)


def _document_keys(requirement: MaterialRequirement) -> list[tuple]:
    keys = [("name", normalise_name(requirement.name))]
    if requirement.produced_by_id:
        keys.append(("produced_by", requirement.produced_by_id))
    return keys


def _same_documents(requirements: list) -> list[list]:
    """Group the materials that are one document (union-find over name and producer), each
    group and each member in first-seen order."""
    parent = list(range(len(requirements)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_with: dict[tuple, int] = {}
    for i, requirement in enumerate(requirements):
        for key in _document_keys(requirement):
            a, b = root(i), root(first_with.setdefault(key, i))
            parent[max(a, b)] = min(a, b)
    groups: dict[int, list] = {}
    for i, requirement in enumerate(requirements):
        groups.setdefault(root(i), []).append(requirement)
    return list(groups.values())


def normalise_name(name: str) -> str:
    """Full-width and half-width forms alike (（）and ()), spaces ignored."""
    return "".join(unicodedata.normalize("NFKC", name).split())


def _unique(values) -> list:
    seen: list = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen


# --- a bundle's cases ---------------------------------------------------------------------------

def chosen_optional_ids(parent: Case) -> list[int]:
    return [int(i) for i in (parent.form_data or {}).get(OPTIONAL_FIELD, [])]


def parent_form_spec(parent: Case) -> BundleFormSpec:
    """The one form as the parent's applicant filled it (its optional items)."""
    return bundle_form_spec(parent.bundle, optional_item_ids=chosen_optional_ids(parent))


def bundle_parent_get_for_user(*, user, pk: int) -> Case:
    """A bundle's parent case that `user` may see; the same 404 for anything else."""
    case = case_get_for_user(user=user, pk=pk, related=("bundle", "department", "enterprise",
                                                         "applicant", "filed_by"))
    if not case.is_bundle_parent:
        raise Http404(_("办件不存在。"))
    return case


def bundle_drafts(user, bundle: Bundle):
    return visible_cases(user, related=()).filter(bundle=bundle, item__isnull=True,
                                                  state=S.DRAFT).order_by("-created_at")


def bundle_children(parent: Case) -> list[Case]:
    """The parent's parts in bundle order (creation order), with what their rows show."""
    return list(parent.children.select_related("item", "department")
                .prefetch_related("documents", "pauses").order_by("pk"))


def current_uploads(parent: Case) -> dict[int, SubmittedMaterial]:
    """The parent's current file for each slot, by slot key."""
    return {m.requirement_id: m for m in parent.materials.filter(superseded_at__isnull=True)}


def upload_versions(parent: Case) -> dict[int, list[SubmittedMaterial]]:
    versions: dict[int, list] = {}
    for material in parent.materials.order_by("-uploaded_at", "-id"):
        versions.setdefault(material.requirement_id, []).append(material)
    return versions


def provided_requirement_ids(case: Case) -> set[int]:
    """The materials of a child case that a sibling's result provides: never asked of the
    applicant, so never 'missing'. Empty for a case outside a bundle."""
    if case.parent_id is None:  # outside a bundle, or its parent
        return set()
    return {r.pk for _slot, r in family_form_spec(case.parent).provided_for(case.item)}


@dataclass(frozen=True)
class Provided:
    """A material of a part that a sibling part's result provides."""

    producer_item: ServiceItem
    producer: Case | None  # the sibling part whose result it is
    document: CaseDocument | None  # its certificate, attached when issued

    @property
    def revoked(self) -> bool:
        return self.document is not None and self.document.revoked_at is not None


def provided_materials(case: Case) -> dict[int, Provided]:
    """By requirement pk, each material of a child that a sibling's result provides: who
    produces it and, once issued, the certificate attached (`bundles.bundle_provide_results`).
    Empty for a case outside a bundle."""
    if case.parent_id is None:  # outside a bundle, or its parent
        return {}
    siblings = {c.item_id: c for c in case.parent.children.all()}
    attached = {p.requirement_id: p.document for p in case.provided_materials
                .select_related("document").order_by("provided_at", "pk")}  # the latest wins
    spec = family_form_spec(case.parent, item_ids=list(siblings))
    return {r.pk: Provided(slot.provided_by, siblings.get(slot.provided_by.pk),
                           attached.get(r.pk))
            for slot, r in spec.provided_for(case.item)}


def family_form_spec(parent: Case, *, item_ids: list[int] | None = None) -> BundleFormSpec:
    """The one form of the parts a bundle's parent actually has (`item_ids`: their items, when
    the caller has read the parts already)."""
    if item_ids is None:
        item_ids = list(parent.children.values_list("item_id", flat=True))
    return bundle_form_spec(parent.bundle, optional_item_ids=item_ids)


def is_accepted(case: Case) -> bool:
    return case.accepted_on is not None or case.state in PAST_ACCEPTANCE_STATES


def refusal(case: Case) -> str:
    """Why a part will not give its result, in words; "" when it has not been refused."""
    if case.state == S.NOT_ACCEPTED:
        return _("不予受理：%(reason)s") % {"reason": case.not_accepted_reason}
    if case.state == S.REVOKED:
        return _("许可已撤销：%(reason)s") % {"reason": case.ended_reason}
    if case.decision == Decision.DENIED:
        return _("不予许可：%(reason)s") % {"reason": case.decision_reason}
    return ""


def case_display_name(case: Case) -> str:
    """What a case is called where its item's name is shown: a bundle's parent has no item."""
    if not case.is_bundle_parent:
        return case.item.name
    if case.bundle_id is not None:
        return case.bundle.name
    return case.title


def case_display_title(case: Case) -> str:
    """Number and name, as a notification's title."""
    return f"{case.number or ''} {case_display_name(case)}".strip()


def case_title_for_applicant(case: Case) -> str:
    """A notification's title for the applicant: a bundle's part (一件事) goes by the bundle's
    one number and name, then the part's item — the number the applicant was given."""
    if case.parent_id is None:
        return case_display_title(case)
    parent = case.parent  # its title is the bundle's name (`bundles.bundle_create_draft`)
    return f"{parent.number or ''} {parent.title}·{case.item.name}".strip()
