"""URLs of the 巡察 rounds."""

from django.urls import path

from jiandu.inspections import views

app_name = "inspections"

urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("new/", views.round_create, name="round_create"),
    path("<int:pk>/", views.round_detail, name="round_detail"),
    path("<int:pk>/draw/", views.round_draw, name="round_draw"),
    path("<int:pk>/stage/", views.round_stage, name="round_stage"),
    path("<int:pk>/findings/", views.finding_create, name="finding_create"),
    path("<int:pk>/problems.xlsx", views.problem_sheet, name="problem_sheet"),
    path(
        "<int:pk>/targets/<int:org_id>/<slug:kind>.docx",
        views.target_document,
        name="target_document",
    ),
    path("<int:pk>/draws/<int:draw_id>/inputs.json", views.draw_inputs, name="draw_inputs"),
]

urlpatterns += [
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/records/", views.statistics_records, name="statistics_records"),
    path(
        "statistics/units/<int:unit_id>/records/",
        views.unit_statistics_records,
        name="unit_statistics_records",
    ),
]
