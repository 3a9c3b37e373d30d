"""URLs of 呈批."""

from django.urls import path

from jiandu.approvals import views

app_name = "approvals"

urlpatterns = [
    path("", views.request_list, name="request_list"),
    path("routes/", views.route_list, name="route_list"),
    path("routes/<int:pk>/archive/", views.route_archive, name="route_archive"),
    path("<int:pk>/", views.request_detail, name="request_detail"),
    path("<int:pk>/sign/", views.request_sign, name="request_sign"),
    path("<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("<int:pk>/resubmit/", views.request_resubmit, name="request_resubmit"),
]
