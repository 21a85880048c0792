"""The service catalog over HTTP: /api/catalog/… (public, read-only).

Only what the public pages show: published items and bundles, active departments. Reads go
through the same selectors as the pages; something unpublished is a 404, like something missing.
"""

import datetime as dt

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from onewindow.catalog import selectors
from onewindow.catalog.enums import ItemType
from onewindow.core.schemas import ErrorOut

router = Router(tags=["catalog"])


class DepartmentRef(Schema):
    code: str
    name: str


class LifeEventRef(Schema):
    slug: str
    name: str


class ItemOut(Schema):
    id: int
    implementation_code: str
    basic_code: str
    name: str
    item_type: int
    item_type_label: str = Field(..., alias="get_item_type_display")
    department: DepartmentRef
    audience: str
    case_type: str
    case_type_label: str = Field(..., alias="get_case_type_display")
    legal_limit: int | None
    legal_limit_unit: str
    promised_limit: int | None
    promised_limit_unit: str
    visits_required: int
    online_depth: int
    handling_scope: str
    instant_approval: bool
    commitment_allowed: bool


class MaterialOut(Schema):
    order: int
    name: str
    required: bool
    form: str
    form_label: str = Field(..., alias="get_form_display")
    original_count: int
    copy_count: int
    description: str
    source: str
    source_label: str = Field(..., alias="get_source_display")
    produced_by_id: int | None
    tolerance_allowed: bool
    commitment_replaces: bool
    allowed_file_types: list[str] = Field(..., alias="file_type_list")


class StepOut(Schema):
    order: int
    name: str
    description: str
    limit_days: int | None


class ItemDetailOut(ItemOut):
    aliases: list[str] = Field(..., alias="alias_list")
    summary: str
    implementing_body: str
    legal_limit_note: str
    promised_limit_note: str
    appointment_supported: bool
    express_supported: bool
    conditions: str
    legal_basis: str
    fee_required: bool
    fees: str
    result_name: str
    where_to_apply: str
    office_hours: str
    consult_phone: str
    complaint_phone: str
    life_events: list[LifeEventRef]
    materials: list[MaterialOut]
    steps: list[StepOut]
    updated_at: dt.datetime


class DepartmentOut(DepartmentRef):
    short_name: str
    phone: str
    item_count: int


class LifeEventOut(LifeEventRef):
    audience: str
    description: str
    item_count: int


class BundleOut(Schema):
    code: str
    name: str
    description: str
    motto: str
    lead_department: DepartmentRef
    life_event: LifeEventRef | None
    promised_limit_days: int
    legal_limit_days: int
    item_count: int


class BundleItemOut(Schema):
    order: int
    is_optional: bool
    item: ItemOut


class BundleDetailOut(BundleOut):
    items: list[BundleItemOut] = Field(..., alias="published_items")

    @staticmethod
    def resolve_item_count(bundle) -> int:
        return len(bundle.published_items)


class ItemFilters(Schema):
    q: str | None = Field(None, max_length=selectors.SEARCH_MAX_LENGTH,
                          description="名称、别名或编码中的词，空格分隔")
    department: str | None = Field(None, max_length=40, description="部门代码")
    life_event: str | None = Field(None, max_length=40, description="主题代码")
    item_type: ItemType | None = Field(None, description="权力类型代码")


@router.get("/items", response=list[ItemOut], auth=None, summary="事项列表")
@paginate(PageNumberPagination, page_size=20)
def item_list(request, filters: Query[ItemFilters]):
    """Published items, filtered; with `q`, the best name matches first."""
    query = selectors.search_words(filters.q or "")
    items = (selectors.item_search(query) if query
             else selectors.published_item_list().order_by("department__order", "name", "pk"))
    if filters.department:
        items = items.filter(department__code=filters.department)
    if filters.life_event:
        items = items.filter(life_events__slug=filters.life_event)
    if filters.item_type is not None:
        items = items.filter(item_type=filters.item_type)
    return items


@router.get("/items/{int:item_id}", response={200: ItemDetailOut, 404: ErrorOut}, auth=None,
            summary="事项详情（办事指南）")
def item_detail(request, item_id: int):
    """One published item with its guide: materials, steps, life events."""
    try:
        return selectors.item_guide_get(pk=item_id)
    except Http404 as error:
        raise HttpError(404, str(error)) from None


@router.get("/departments", response=list[DepartmentOut], auth=None, summary="部门列表")
def department_list(request):
    """Active departments with the number of published items of each."""
    return selectors.department_list()


@router.get("/life-events", response=list[LifeEventOut], auth=None, summary="主题分类列表")
def life_event_list(request):
    """Themes (开办企业, 项目建设 …) with the number of published items of each."""
    return selectors.life_event_list()


@router.get("/bundles", response=list[BundleOut], auth=None, summary="“一件事”列表")
def bundle_list(request):
    """Published bundles (一件事)."""
    return selectors.bundle_list().order_by("name")


@router.get("/bundles/{slug:code}", response={200: BundleDetailOut, 404: ErrorOut}, auth=None,
            summary="“一件事”详情")
def bundle_detail(request, code: str):
    """One published bundle with its published items in order."""
    try:
        return selectors.bundle_get(code=code)
    except Http404 as error:
        raise HttpError(404, str(error)) from None
