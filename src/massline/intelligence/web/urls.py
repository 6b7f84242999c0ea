from django.urls import path

from . import views

app_name = "intelligence"

urlpatterns = [
    path("", views.board, name="hot_board"),
    path("<int:pk>/", views.issue_detail, name="hot_issue"),
    path("<int:pk>/take-up/", views.issue_take_up, name="hot_issue_take_up"),
    path("<int:pk>/dismiss/", views.issue_dismiss, name="hot_issue_dismiss"),
]
