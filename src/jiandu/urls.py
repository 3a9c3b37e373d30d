"""URL map: one include per app; the REST API under /api/v1/."""

from django.urls import include, path, re_path

from jiandu.accounts.views import admin_home
from jiandu.api import api, not_found
from jiandu.core.urls import app_name as core_namespace
from jiandu.core.urls import urlpatterns as core_pages
from jiandu.workbench.views import workbench

urlpatterns = [
    # The home page (jiandu.workbench, above every app) keeps its name core:workbench.
    path("", include(([path("", workbench, name="workbench"), *core_pages], core_namespace))),
    path("accounts/", include("jiandu.accounts.urls")),
    path("orgs/", include("jiandu.orgs.urls")),
    path("people/", include("jiandu.people.urls")),
    path("clues/", include("jiandu.clues.urls")),
    path("boards/", include("jiandu.boards.urls")),
    path("datacheck/", include("jiandu.datacheck.urls")),
    path("imports/", include("jiandu.imports.urls")),
    path("documents/", include("jiandu.documents.urls")),
    path("oversight/", include("jiandu.oversight.urls")),
    path("reconciliation/", include("jiandu.reconciliation.urls")),
    path("cards/", include("jiandu.cards.urls")),
    path("inbox/", include("jiandu.inbox.urls")),
    path("supervision/", include("jiandu.supervision.urls")),
    path("dossiers/", include("jiandu.dossiers.urls")),
    path("ecoindex/", include("jiandu.ecoindex.urls")),
    path("inspections/", include("jiandu.inspections.urls")),
    path("followup/", include("jiandu.followup.urls")),
    path("statistics/", include("jiandu.statcentre.urls")),
    path("approvals/", include("jiandu.approvals.urls")),
    path("sweeps/", include("jiandu.sweeps.urls")),
    path("api/v1/", api.urls),
    re_path(r"^api/v1/(?P<path>[\s\S]*)$", not_found),
    # User administration is the platform's own pages (三员分立), not Django's admin.
    path("sysadmin/", admin_home),
]
