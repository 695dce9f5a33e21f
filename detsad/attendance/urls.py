from django.urls import path, register_converter

from . import api
from .converters import IsoDateConverter, MonthConverter
from .views import closing, journal, parents, reasons, reports, timesheets

register_converter(IsoDateConverter, "isodate")
register_converter(MonthConverter, "month")

app_name = "attendance"

urlpatterns = [
    path("", journal.today, name="today"),
    path("groups/<int:group_pk>/", journal.group_today, name="group_today"),
    path("groups/<int:group_pk>/day/<isodate:day>/", journal.group_day, name="group_day"),
    path("groups/<int:group_pk>/month/<month:month>/", journal.group_month, name="group_month"),
    path("groups/<int:group_pk>/month/<month:month>/cell/", journal.month_cell, name="month_cell"),
    path(
        "groups/<int:group_pk>/month/<month:month>/timesheet.pdf",
        timesheets.timesheet_pdf,
        name="timesheet_pdf",
    ),
    path(
        "groups/<int:group_pk>/month/<month:month>/timesheet.xlsx",
        timesheets.timesheet_xlsx,
        name="timesheet_xlsx",
    ),
    path("timesheets/", timesheets.timesheets_batch, name="timesheets_batch"),
    path("months/", closing.month_overview, name="months"),
    path("months/close/", closing.month_close, name="month_close"),
    path("months/reopen/", closing.month_reopen, name="month_reopen"),
    path("reasons/", reasons.reason_list, name="reasons"),
    path("reasons/new/", reasons.reason_create, name="reason_create"),
    path("reasons/<int:reason_pk>/edit/", reasons.reason_edit, name="reason_edit"),
    path("children/<int:child_pk>/", parents.child_calendar, name="child_calendar"),
    path("children/<int:child_pk>/notice/", parents.notice_create, name="notice_create"),
    path("notices/", parents.notice_list, name="notices"),
    path("notices/<int:notice_pk>/cancel/", parents.notice_cancel, name="notice_cancel"),
    path("reports/", reports.index, name="reports"),
    path("reports/summary/", reports.summary, name="report_summary"),
    path("reports/illness/", reports.illness, name="report_illness"),
    path("reports/streaks/", reports.streaks, name="report_streaks"),
    path("reports/85k/", reports.form_85k, name="report_85k"),
    path(
        "api/groups/<int:group_pk>/days/<isodate:day>/",
        api.GroupDayView.as_view(),
        name="api_group_day",
    ),
]
