from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "jiandu.inbox"
    verbose_name = "站内消息"
    # Its "inbox.remind" task (inbox.tasks) is found on first use by
    # core.tasks.task_functions, not imported at start-up.
