from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "jiandu.orgs"
    verbose_name = "组织机构"

    def ready(self) -> None:
        from jiandu.core.access import register_jurisdiction
        from jiandu.orgs.jurisdiction import org_jurisdiction

        register_jurisdiction(org_jurisdiction)
