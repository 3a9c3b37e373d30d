"""URLs of the 多色榜: boards at the app root, the indicator library under indicators/,
warnings under warnings/."""

from django.urls import path

from jiandu.boards import views

app_name = "boards"

urlpatterns = [
    path("", views.board_list, name="board_list"),
    path("new/", views.board_create, name="board_create"),
    path("indicators/", views.indicator_list, name="indicator_list"),
    path("indicators/new/", views.indicator_create, name="indicator_create"),
    path("warnings/", views.warning_list, name="warning_list"),
    path("warnings/<int:pk>/", views.warning_detail, name="warning_detail"),
    path("warnings/<int:pk>/notice/", views.warning_notice, name="warning_notice"),
    path("warnings/<int:pk>/files/<int:event_pk>/", views.warning_file, name="warning_file"),
    path("warnings/<int:pk>/<str:action>/", views.warning_action, name="warning_action"),
    path("<int:pk>/", views.board_detail, name="board_detail"),
    path("<int:pk>/edit/", views.board_edit, name="board_edit"),
    path("<int:pk>/close/", views.board_close, name="board_close"),
    path("<int:pk>/archive/", views.board_archive, name="board_archive"),
    path("<int:pk>/cells/<int:snapshot_pk>/", views.cell_detail, name="cell_detail"),
    path("<int:pk>/trend/<str:unit>/", views.unit_trend, name="unit_trend"),
    path("<int:pk>/snapshots/<int:snapshot_pk>/xlsx/", views.board_xlsx, name="board_xlsx"),
    path("<int:pk>/bulletin/<str:month>/", views.bulletin_docx, name="bulletin_docx"),
    path("<int:pk>/reported/", views.reported_values, name="reported"),
    path("<int:pk>/reported/template/", views.reported_template, name="reported_template"),
    path("<int:pk>/reported/files/<int:upload_pk>/", views.reported_file, name="reported_file"),
]
