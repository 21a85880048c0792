"""Reading and checking the audit trail."""

from __future__ import annotations

from dataclasses import dataclass

from onewindow.audit.models import GENESIS, AuditEvent, AuditHead


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    reason: str


def audit_verify(*, batch_size: int = 2000) -> tuple[int, ChainBreak | None]:
    """Walk the whole chain in order. Returns (events checked, first break or None)."""
    prev_hash = GENESIS
    last_per_object: dict[tuple[str, str], str] = {}
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=batch_size):
        key = (event.object_type, event.object_id)
        if event.prev_hash != prev_hash:
            return checked, ChainBreak(event.pk, "上一事件哈希不符（有事件被删除或插入）")
        if event.prev_object_hash != last_per_object.get(key, GENESIS):
            return checked, ChainBreak(event.pk, "同一对象的上一事件哈希不符")
        if event.compute_hash() != event.hash:
            return checked, ChainBreak(event.pk, "事件内容与其哈希不符（内容被修改）")
        prev_hash = last_per_object[key] = event.hash
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != prev_hash:
        return checked, ChainBreak(0, "链头哈希与最后一个事件不符（末尾事件被删除）")
    return checked, None


def events_for(obj):
    return AuditEvent.objects.for_object(obj).select_related("actor")
