"""URLs of the 督导 campaigns, their 5+2 lists, 督导检查 and 整改警示卡."""

from django.urls import path

from jiandu.supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("new/", views.campaign_create, name="campaign_create"),
    path("<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("<int:pk>/problems/", views.campaign_problems, name="campaign_problems"),
    path("<int:pk>/teams/new/", views.team_create, name="team_create"),
    path("<int:pk>/inspections/new/", views.inspection_create, name="inspection_create"),
    path("<int:pk>/units/<int:org_id>/", views.unit_lists, name="unit_lists"),
    path("<int:pk>/units/<int:org_id>/lists/<slug:key>/", views.list_edit, name="list_edit"),
    path(
        "<int:pk>/units/<int:org_id>/lists/<slug:key>/upload/",
        views.list_upload,
        name="list_upload",
    ),
    path(
        "<int:pk>/units/<int:org_id>/lists/<slug:key>/template.xlsx",
        views.list_template,
        name="list_template",
    ),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/findings/", views.finding_create, name="finding_create"),
    path("cards/", views.card_list, name="card_list"),
    path("cards/check/", views.card_check, name="card_check"),
    path("cards/<int:pk>/docx/", views.card_download, name="card_download"),
]
