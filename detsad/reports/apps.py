from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "detsad.reports"
    verbose_name = "Отчёты"
