"""URL map: one include per app; the REST API under /api/v1/."""

from django.contrib import admin
from django.urls import include, path, re_path

from jiandu.api import api, not_found

admin.site.site_header = "监督平台 系统管理"
admin.site.site_title = "监督平台"

urlpatterns = [
    path("", include("jiandu.core.urls")),
    path("accounts/", include("jiandu.accounts.urls")),
    path("orgs/", include("jiandu.orgs.urls")),
    path("people/", include("jiandu.people.urls")),
    path("clues/", include("jiandu.clues.urls")),
    path("boards/", include("jiandu.boards.urls")),
    path("datacheck/", include("jiandu.datacheck.urls")),
    path("imports/", include("jiandu.imports.urls")),
    path("api/v1/", api.urls),
    re_path(r"^api/v1/(?P<path>[\s\S]*)$", not_found),
    path("sysadmin/", admin.site.urls),
]
