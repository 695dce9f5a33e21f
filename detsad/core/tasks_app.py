"""django-tasks-db under a Russian name in the admin (its AppConfig names it in English,
without a translation hook)."""

from django_tasks_db.apps import TasksAppConfig


class TasksConfig(TasksAppConfig):
    verbose_name = "Фоновые задачи"
