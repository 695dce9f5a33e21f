"""Writing the audit trail from services (DESIGN.md §5, 152-FZ).

Services call ``record(actor, action, obj, changes=...)`` inside their transaction, so the
record commits or rolls back with the change itself. ``snapshot`` and ``diff`` give the
old → new values in a JSON-friendly shape: ``{"field": [old, new]}``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models

from .models import AuditRecord


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """Field values of `obj` (concrete, non-relational-object form) for later `diff`."""
    names = fields or [
        f.name for f in obj._meta.concrete_fields if f.name not in ("created_at", "updated_at")
    ]
    result = {}
    for name in names:
        field = obj._meta.get_field(name)
        value = getattr(obj, field.attname if field.is_relation else name)
        if field.is_relation and value is not None:
            related = getattr(obj, name, None)
            value = str(related) if related is not None else value
        result[name] = _plain(value)
    return result


def stored_snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """`snapshot` of the row as it is in the database ({} for an unsaved object).

    Services take "old" values from here, not from the object they were given: a
    ModelForm bound to that object has already written the new values into it.
    """
    if obj.pk is None:
        return {}
    stored = type(obj)._default_manager.filter(pk=obj.pk).first()
    return snapshot(stored, fields) if stored is not None else {}


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """Changed keys as ``{key: [old, new]}``."""
    keys = set(old) | set(new)
    return {k: [old.get(k), new.get(k)] for k in sorted(keys) if old.get(k) != new.get(k)}


def record(
    actor,
    action: str,
    obj: models.Model | None = None,
    *,
    changes: dict | None = None,
    kind: str | None = None,
    object_id: Any = None,
    object_repr: str | None = None,
    organization=None,
    note: str = "",
) -> AuditRecord:
    """Append one audit record for a change made by `actor` (see AuditRecord)."""
    if organization is None and obj is not None:
        organization = getattr(obj, "organization", None)
    if organization is None:
        organization = getattr(actor, "organization", None)
    municipality = getattr(organization, "municipality", None) or getattr(
        actor, "municipality", None
    )
    user = getattr(actor, "user", None)
    if user is not None and not getattr(user, "pk", None):
        user = None
    return AuditRecord.objects.create(
        actor=user,
        actor_name=getattr(actor, "name", "система")[:200],
        ip=getattr(actor, "ip", None),
        organization=organization,
        municipality=municipality,
        action=action,
        kind=kind or (obj._meta.label_lower if obj is not None else "")[:100],
        object_id=str(object_id if object_id is not None else getattr(obj, "pk", "") or ""),
        object_repr=(
            object_repr if object_repr is not None else str(obj) if obj is not None else ""
        )[:300],
        changes={k: _plain(v) for k, v in (changes or {}).items()},
        note=note[:500],
    )
