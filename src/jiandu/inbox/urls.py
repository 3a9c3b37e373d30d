"""URLs of the inbox (站内消息)."""

from django.urls import path

from jiandu.inbox import views

app_name = "inbox"

urlpatterns = [
    path("", views.message_list, name="message_list"),
    path("read-all/", views.message_read_all, name="message_read_all"),
    path("<int:pk>/", views.message_open, name="message_open"),
    path("<int:pk>/read/", views.message_read, name="message_read"),
]
