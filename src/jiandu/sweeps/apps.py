from django.apps import AppConfig


class SweepsConfig(AppConfig):
    name = "jiandu.sweeps"
    verbose_name = "线索大起底"

    def ready(self) -> None:
        # A 呈批件 drafted by a 线索大起底 or a 集体排查 names it on its page (ADR 0015:
        # approvals knows no app above it).
        from jiandu.approvals.registry import register_source
        from jiandu.sweeps.selectors import request_source_review, request_source_sweep

        register_source("sweep", request_source_sweep)
        register_source("collective", request_source_review)
