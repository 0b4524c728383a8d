from django.urls import path

from safety_plans import views
from safety_plans import print_views

urlpatterns = [
    path("", views.plan_list, name="safety_plan_list"),
    path("<uuid:pk>/print/", print_views.plan_print, name="safety_plan_print"),
]
