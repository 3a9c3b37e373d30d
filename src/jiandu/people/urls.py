from django.urls import path

from jiandu.people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list_view, name="person_list"),
    path("export/", views.person_export_view, name="person_export"),
    path("new/", views.person_create_view, name="person_create"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("<int:pk>/id-number/", views.person_reveal_id, name="person_reveal_id"),
    path("<int:pk>/posts/new/", views.post_add_view, name="post_add"),
    path("<int:pk>/posts/<int:post_pk>/end/", views.post_end_view, name="post_end"),
]
