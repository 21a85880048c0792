"""The audit trail: an append-only, hash-chained log of every state change.

Each event carries the hash of the previous event for the same object and of the previous
event overall, so that editing or removing any row breaks a chain that `onewindow audit verify`
walks. Rows cannot be changed or deleted through the ORM, the admin or (by trigger) SQL.
"""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit events are append-only: update refused")

    def delete(self):
        raise AppendOnlyError("audit events are append-only: delete refused")

    def for_object(self, obj):
        return self.filter(object_type=object_type_of(obj), object_id=str(obj.pk))


class AuditEvent(models.Model):
    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # events are read by object and by time; each index costs every append
        verbose_name=_("操作人"),
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    actor_role = models.CharField(_("角色"), max_length=32, blank=True)
    object_type = models.CharField(_("对象类型"), max_length=100)
    object_id = models.CharField(_("对象编号"), max_length=64)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    action = models.CharField(_("动作"), max_length=64)
    old_value = models.JSONField(_("原值"), null=True, blank=True)
    new_value = models.JSONField(_("新值"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    prev_object_hash = models.CharField(_("同对象上一事件哈希"), max_length=64)
    prev_hash = models.CharField(_("上一事件哈希"), max_length=64)
    # Unique by a constraint in Meta: `unique=True` would add a LIKE index no query uses.
    hash = models.CharField(_("本事件哈希"), max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id", "id"])]
        constraints = [models.UniqueConstraint(fields=["hash"], name="audit_event_hash_unique")]

    def __str__(self):
        return f"#{self.pk} {self.object_type}:{self.object_id} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise AppendOnlyError("audit events are append-only: change refused")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events are append-only: delete refused")

    def payload(self) -> dict:
        """The fields the hash covers, in a form that is the same on every database."""
        return {
            "at": self.at.isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "actor_role": self.actor_role,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "action": self.action,
            "old_value": self.old_value,
            "new_value": self.new_value,
            "note": self.note,
            "prev_object_hash": self.prev_object_hash,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self) -> str:
        canonical = json.dumps(
            self.payload(), sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )
        return hashlib.sha256(canonical.encode()).hexdigest()


class AuditHead(models.Model):
    """One row: the hash of the newest event. Locking it serialises appends to the chain."""

    last_hash = models.CharField(max_length=64, default=GENESIS)
    count = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("审计链头")

    def __str__(self):
        return f"{self.count} events, head {self.last_hash[:12]}"


def object_type_of(obj) -> str:
    return obj._meta.label_lower
