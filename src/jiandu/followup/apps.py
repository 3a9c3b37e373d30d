from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "jiandu.followup"
    verbose_name = "实名反馈与处分执行"

    def ready(self) -> None:
        # Feedback steps and 处分执行 rows follow the registry's writes (pages, API and
        # imports alike): see jiandu.followup.signals.
        from jiandu.core.hooks import register_detail_panel
        from jiandu.followup import signals  # noqa: F401
        from jiandu.followup.panels import petition_feedback_panel

        # The petition page shows the real-name feedback steps and their buttons.
        register_detail_panel("clues.petition", petition_feedback_panel)
