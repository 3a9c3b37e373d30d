from django.urls import path

from jiandu.statcentre import views

app_name = "statcentre"

urlpatterns = [
    path("", views.index, name="index"),
    path("records/<slug:key>/", views.records, name="records"),
    path("returns/", views.return_list, name="return_list"),
    path("returns/<int:pk>/", views.return_detail, name="return_detail"),
    path("returns/<int:pk>/submit/", views.return_submit, name="return_submit"),
    path("returns/<int:pk>/reopen/", views.return_reopen, name="return_reopen"),
    path("returns/<int:pk>/xlsx/", views.return_xlsx, name="return_xlsx"),
]
