from django.urls import path

from jiandu.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:kind>/template/", views.template_download, name="template"),
    path("<slug:kind>/", views.upload, name="upload"),
]
