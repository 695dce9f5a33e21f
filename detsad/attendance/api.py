"""REST API of the journal for a future mobile app (issue 4 item 7): a group's children of
a day with their marks, and saving a group-day — the same selectors, service and access
rules as the pages (session authentication, as the rest of the API).

``GET  /attendance/api/groups/<group_pk>/days/<YYYY-MM-DD>/`` →
``{"group": {...}, "date": "2026-04-06", "working": true, "locked": false,
"children": [{"id": 1, "name": "…", "present": true|false|null, "reason": "Б"|"",
"notice": {"reason": "О", "start": "…", "end": "…"}|null}]}``

``POST`` the same URL with ``{"marks": [{"child": 1, "present": false, "reason": "Б"}],
"all_present": false, "correction_reason": ""}`` → the same body as GET (200), or 400
``{"errors": ["…"]}``, 403, 404. One request and one transaction per group-day.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors
from .services import attendance_mark_group_day
from .views.common import can_write_group, error_messages, group_for


class MarkIn(serializers.Serializer):
    """One child's mark: present true/false; an absence may name a reason code («Б»)."""

    child = serializers.IntegerField(min_value=1)
    present = serializers.BooleanField()
    reason = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=10, default=""
    )


class GroupDayIn(serializers.Serializer):
    """The body of a group-day save."""

    marks = MarkIn(many=True, required=False, default=list)
    all_present = serializers.BooleanField(required=False, default=False)
    correction_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=500, default=""
    )


class NoticeOut(serializers.Serializer):
    reason = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()


class ChildOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    present = serializers.BooleanField(allow_null=True)
    reason = serializers.CharField(allow_blank=True)
    notice = NoticeOut(allow_null=True)


class GroupOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class GroupDayOut(serializers.Serializer):
    group = GroupOut()
    date = serializers.DateField()
    working = serializers.BooleanField()
    locked = serializers.BooleanField()
    children = ChildOut(many=True)


class ErrorsOut(serializers.Serializer):
    errors = serializers.ListField(child=serializers.CharField())


def _path(prefix: str, key) -> str:
    if isinstance(key, int) or str(key).isdigit():
        return f"{prefix}[{key}]"
    if key == "non_field_errors":
        return prefix
    return f"{prefix}.{key}" if prefix else str(key)


def _field_errors(errors, prefix: str = "") -> list[str]:
    """DRF's nested error dict → flat Russian messages naming the field (``marks[0].present``)."""
    if isinstance(errors, dict):
        return [
            m for key, value in errors.items() for m in _field_errors(value, _path(prefix, key))
        ]
    if isinstance(errors, list) and errors and not isinstance(errors[0], str):
        return [
            m
            for i, value in enumerate(errors)
            if value
            for m in _field_errors(value, f"{prefix}[{i}]")
        ]
    return [f"{prefix}: {m}" if prefix else str(m) for m in errors]


def _body(roster) -> dict:
    return {
        "group": {"id": roster.group.pk, "name": roster.group.name},
        "date": roster.day.isoformat(),
        "working": roster.working,
        "locked": roster.lock.locked,
        "children": [
            {
                "id": r.child_id,
                "name": r.name,
                "present": r.present,
                "reason": r.code,
                "notice": (
                    {
                        "reason": r.notice.reason_code,
                        "start": r.notice.start.isoformat(),
                        "end": r.notice.end.isoformat(),
                    }
                    if r.notice
                    else None
                ),
            }
            for r in roster.rows
        ],
    }


class GroupDayView(APIView):
    """A group's journal of one day: read it (GET) or save the group-day (POST)."""

    @extend_schema(
        responses={200: GroupDayOut},
        summary="Журнал группы за день",
    )
    def get(self, request, group_pk, day):
        actor = request.actor
        group = group_for(actor, group_pk)
        return Response(_body(selectors.day_roster(group, day, today=actor.today)))

    @extend_schema(
        request=GroupDayIn,
        responses={200: GroupDayOut, 400: ErrorsOut},
        summary="Сохранить отметки группы за день",
    )
    def post(self, request, group_pk, day):
        actor = request.actor
        group = group_for(actor, group_pk)
        if not can_write_group(actor, group):
            raise PermissionDenied("Недостаточно прав.")
        incoming = GroupDayIn(data=request.data)
        if not incoming.is_valid():
            return Response(
                {"errors": _field_errors(incoming.errors)}, status=status.HTTP_400_BAD_REQUEST
            )
        data = incoming.validated_data
        marks = {m["child"]: (m["present"], m.get("reason") or None) for m in data["marks"]}
        try:
            attendance_mark_group_day(
                actor=actor,
                group=group,
                day=day,
                marks=marks,
                all_present=data["all_present"],
                correction_reason=data["correction_reason"],
            )
        except ValidationError as exc:
            return Response({"errors": error_messages(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(_body(selectors.day_roster(group, day, today=actor.today)))
