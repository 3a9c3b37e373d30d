from django.urls import path

from jiandu.ecoindex import views

app_name = "ecoindex"

urlpatterns = [
    path("", views.map_view, name="map"),
    path("table/", views.table_view, name="table"),
    path("table/xlsx/", views.table_xlsx, name="table_xlsx"),
    path("close/", views.close_view, name="close"),
    path("analysis/<str:month>/", views.analysis_docx, name="analysis"),
    path("units/<int:org_id>/", views.unit_view, name="unit"),
    path("units/<int:org_id>/<str:month>/leaves/<slug:key>/", views.leaf_view, name="leaf"),
    path("warnings/", views.warning_list, name="warning_list"),
    path("warnings/<int:pk>/notice/", views.warning_notice, name="warning_notice"),
    path("tree/", views.tree_view, name="tree"),
    path("tree/new/", views.tree_edit, name="tree_edit"),
    path("reported/", views.reported_view, name="reported"),
    path("reported/template/", views.reported_template_view, name="reported_template"),
]
