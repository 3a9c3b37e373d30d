from django.apps import AppConfig


class ReconciliationConfig(AppConfig):
    name = "jiandu.reconciliation"
    verbose_name = "对账销账"
    # Its detection task (reconciliation.tasks) is found on first use by
    # core.tasks.task_functions, not imported at start-up.
