from django.urls import path

from jiandu.sweeps import views

app_name = "sweeps"

urlpatterns = [
    path("", views.sweep_list, name="sweep_list"),
    path("<int:pk>/", views.sweep_detail, name="sweep_detail"),
    path("<int:pk>/items/<int:item_pk>/review/", views.item_review, name="item_review"),
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
]
