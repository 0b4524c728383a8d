from django.urls import path

from safety_plans import checklist_views, views

urlpatterns = [
    path("", views.plan_list, name="safety_plan_list"),
    path("checklist/", checklist_views.checklist_item_list, name="checklist_item_list"),
    path("checklist/new/", checklist_views.checklist_item_new, name="checklist_item_new"),
    path("checklist/<slug:code>/", checklist_views.checklist_item_edit, name="checklist_item_edit"),
]
