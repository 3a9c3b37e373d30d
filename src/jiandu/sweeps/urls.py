from django.urls import path

from jiandu.sweeps import views

app_name = "sweeps"

urlpatterns = [
    path("", views.sweep_list, name="sweep_list"),
    path("<int:pk>/", views.sweep_detail, name="sweep_detail"),
    path("<int:pk>/items/<int:item_pk>/review/", views.item_review, name="item_review"),
]
