from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("", views.unit_list, name="units"),
    path("unit/<str:code>/", views.unit_detail, name="unit"),
    path("ranking/", views.street_ranking, name="ranking"),
    path("categories/", views.category_list, name="categories"),
    path("about/", views.about, name="about"),
]
