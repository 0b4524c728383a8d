from django.urls import path

from routines import views

urlpatterns = [
    path("", views.routine_list, name="routine_list"),
    path("<slug:slug>/", views.routine_detail, name="routine_detail"),
]
