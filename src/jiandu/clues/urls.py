"""URLs of the case registry: 信访举报 under petitions/, 问题线索 under clues/, 通报曝光
under exposures/ (distinct prefixes, so the navigation marks one section at a time)."""

from django.urls import path
from django.views.generic import RedirectView

from jiandu.clues import views

app_name = "clues"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="clues:clue_list"), name="index"),
    # 问题线索
    path("clues/", views.clue_list, name="clue_list"),
    path("clues/new/", views.clue_create, name="clue_create"),
    path("clues/export/", views.clue_export, name="clue_export"),
    path("clues/<int:pk>/", views.clue_detail, name="clue_detail"),
    path("clues/<int:pk>/actions/", views.clue_action, name="clue_action"),
    path("clues/<int:pk>/outcomes/", views.outcome_create, name="outcome_create"),
    path(
        "clues/<int:pk>/outcomes/kind-fields/",
        views.outcome_kind_fields,
        name="outcome_kind_fields",
    ),
    path(
        "clues/<int:pk>/outcomes/<int:outcome_pk>/archive/",
        views.outcome_archive,
        name="outcome_archive",
    ),
    # 信访举报
    path("petitions/", views.petition_list, name="petition_list"),
    path("petitions/new/", views.petition_create, name="petition_create"),
    path("petitions/export/", views.petition_export, name="petition_export"),
    path("petitions/<int:pk>/", views.petition_detail, name="petition_detail"),
    path("petitions/<int:pk>/reporter/", views.petition_reporter, name="petition_reporter"),
    path(
        "petitions/<int:pk>/triage/<str:action>/",
        views.petition_triage,
        name="petition_triage",
    ),
    # 通报曝光
    path("exposures/", views.exposure_list, name="exposure_list"),
    path("exposures/new/", views.exposure_create, name="exposure_create"),
    path("exposures/case-row/", views.exposure_case_row, name="exposure_case_row"),
    path("exposures/<int:pk>/", views.exposure_detail, name="exposure_detail"),
    # shared
    path("people/search/", views.person_search, name="person_search"),
    path("people/<int:pk>/chip/", views.person_chip, name="person_chip"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
]
