from django.urls import path

from jiandu.orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.org_tree_view, name="org_tree"),
    path("new/", views.org_create_view, name="org_create"),
    path("<int:pk>/", views.org_detail, name="org_detail"),
    path("<int:pk>/edit/", views.org_edit, name="org_edit"),
    path("<int:pk>/supervision/", views.org_supervision, name="org_supervision"),
    path("<int:pk>/archive/", views.org_archive_view, name="org_archive"),
]
