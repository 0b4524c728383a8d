from django.urls import path

from exercises import views

app_name = "exercises"

urlpatterns = [
    path("", views.exercise_list_view, name="list"),
    path("new/<slug:slug>/", views.exercise_new, name="new"),
    path("<uuid:pk>/", views.exercise_detail, name="detail"),
    path("<uuid:pk>/actions/", views.exercise_action_add, name="action_add"),
    path("<uuid:pk>/actions/<uuid:action_pk>/", views.exercise_action_update, name="action_update"),
]
