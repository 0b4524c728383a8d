from django.urls import path

from safety_plans import views

urlpatterns = [
    path("", views.plan_list, name="safety_plan_list"),
]
