from django.urls import path

from .views import accounts, payments, reports, runs, setup

app_name = "fees"

urlpatterns = [
    path("", runs.index, name="index"),
    path("runs/start/", runs.run_start, name="run_start"),
    path("runs/<int:run_pk>/", runs.run_detail, name="run_detail"),
    path("runs/<int:run_pk>/progress/", runs.run_progress, name="run_progress"),
    path("runs/<int:run_pk>/reverse/", runs.run_reverse, name="run_reverse"),
    path("months/close/", runs.month_close, name="month_close"),
    path("months/reopen/", runs.month_reopen, name="month_reopen"),
    path("accounts/", accounts.account_list, name="accounts"),
    path("accounts/<int:child_pk>/", accounts.account_detail, name="account_detail"),
    path(
        "accounts/<int:child_pk>/operation/", accounts.account_operation, name="account_operation"
    ),
    path("accounts/<int:child_pk>/receipt/", accounts.receipt, name="receipt"),
    path("entries/<int:entry_pk>/reverse/", accounts.entry_reverse, name="entry_reverse"),
    path("my/", accounts.my, name="my"),
    path("payments/", payments.payment_list, name="payments"),
    path("payments/import/", payments.payment_import, name="payment_import"),
    path("payments/<int:payment_pk>/assign/", payments.payment_assign, name="payment_assign"),
    path("imports/<int:import_pk>/", payments.import_detail, name="import_detail"),
    path("setup/", setup.setup, name="setup"),
    path("benefits/", setup.benefits, name="benefits"),
    path("benefits/<int:grant_pk>/end/", setup.benefit_end, name="benefit_end"),
    path("receipts/", reports.receipts_batch, name="receipts"),
    path("reports/turnover/", reports.turnover, name="turnover"),
    path("reports/debtors/", reports.debtors, name="debtors"),
    path("reports/summary/", reports.summary, name="summary"),
    path("reports/compensation/", reports.compensation, name="compensation"),
]
