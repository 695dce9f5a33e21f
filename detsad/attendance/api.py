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
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors
from .services import attendance_mark_group_day
from .views.common import can_write_group, error_messages, group_for


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

    @extend_schema(responses=OpenApiTypes.OBJECT, summary="Журнал группы за день")
    def get(self, request, group_pk, day):
        actor = request.actor
        group = group_for(actor, group_pk)
        return Response(_body(selectors.day_roster(group, day, today=actor.today)))

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
        summary="Сохранить отметки группы за день",
    )
    def post(self, request, group_pk, day):
        actor = request.actor
        group = group_for(actor, group_pk)
        if not can_write_group(actor, group):
            raise PermissionDenied("Недостаточно прав.")
        data = request.data if isinstance(request.data, dict) else {}
        marks = {}
        try:
            for item in data.get("marks") or []:
                marks[int(item["child"])] = (bool(item["present"]), item.get("reason") or None)
        except (KeyError, TypeError, ValueError):
            return Response(
                {"errors": ["Отметка: нужны поля child (число) и present (true/false)."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            attendance_mark_group_day(
                actor=actor,
                group=group,
                day=day,
                marks=marks,
                all_present=bool(data.get("all_present")),
                correction_reason=str(data.get("correction_reason") or ""),
            )
        except ValidationError as exc:
            return Response({"errors": error_messages(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(_body(selectors.day_roster(group, day, today=actor.today)))
