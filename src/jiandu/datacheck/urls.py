from django.urls import path
from django.views.generic import RedirectView

from jiandu.datacheck import views

app_name = "datacheck"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="datacheck:run_list"), name="index"),
    path("runs/", views.run_list, name="run_list"),
    path("runs/new/", views.run_start, name="run_start"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/hits.xlsx", views.run_export, name="run_export"),
    path("hits/", views.hit_list, name="hit_list"),
    path("hits/<int:pk>/", views.hit_detail, name="hit_detail"),
    path("hits/<int:pk>/action/", views.hit_action, name="hit_action"),
    path("hits/<int:pk>/group/", views.hit_group, name="hit_group"),
    path("hits/<int:pk>/identify/", views.hit_identify, name="hit_identify"),
    path("datasets/", views.dataset_list, name="dataset_list"),
    path("datasets/upload/", views.dataset_upload, name="dataset_upload"),
    path("datasets/upload/<str:token>/", views.dataset_mapping, name="dataset_mapping"),
    path("datasets/versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("datasets/<slug:name>/", views.dataset_versions, name="dataset_versions"),
    path("rules/", views.rule_list, name="rule_list"),
    path("precision/", views.precision, name="precision"),
]
