from django.urls import path

from jiandu.core import views

# The home page, core:workbench, is jiandu.workbench's (placed in this namespace by
# jiandu/urls.py): core imports no app.
app_name = "core"

urlpatterns = [
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/verify/", views.audit_verify_view, name="audit_verify"),
    path("audit/<int:pk>/", views.audit_detail, name="audit_detail"),
]
