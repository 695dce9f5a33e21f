from django.urls import path

from .import_urls import urlpatterns as import_urlpatterns
from .views import book, moves, orders, reports, templates

app_name = "movement"

urlpatterns: list = [
    path("book/", book.book, name="book"),
    path("book/pdf/", book.book_pdf_view, name="book_pdf"),
    path("book/xlsx/", book.book_xlsx_view, name="book_xlsx"),
    path("events/<int:event_pk>/cancel/", book.event_cancel, name="event_cancel"),
    path("enroll/", moves.enroll, name="enroll"),
    path("transfer/", moves.transfer, name="transfer"),
    path("withdraw/", moves.withdraw, name="withdraw"),
    path("orders/", orders.order_list, name="order_list"),
    path("orders/<int:order_pk>/", orders.order_detail, name="order_detail"),
    path("orders/<int:order_pk>/sign/", orders.order_sign, name="order_sign"),
    path("orders/<int:order_pk>/docx/", orders.order_docx_view, name="order_docx"),
    path("orders/<int:order_pk>/pdf/", orders.order_pdf_view, name="order_pdf"),
    path("children/<int:child_pk>/contracts/new/", orders.contract_create, name="contract_create"),
    path("contracts/<int:contract_pk>/docx/", orders.contract_docx_view, name="contract_docx"),
    path("contracts/<int:contract_pk>/pdf/", orders.contract_pdf_view, name="contract_pdf"),
    path("templates/", templates.template_list, name="template_list"),
    path("templates/default/", templates.template_default, name="template_default"),
    path("templates/current/", templates.template_current, name="template_current"),
    path("templates/<int:template_pk>/delete/", templates.template_delete, name="template_delete"),
    path("reports/movement/", reports.movement_report, name="report_movement"),
    path("reports/occupancy/", reports.occupancy, name="report_occupancy"),
    *import_urlpatterns,
]
