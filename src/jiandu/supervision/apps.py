from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "jiandu.supervision"
    verbose_name = "督导"
    # Its card-check task (supervision.tasks) is found on first use by
    # core.tasks.task_functions, not imported at start-up.
