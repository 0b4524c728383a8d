from django.urls import path

from safety_plans import checklist_views, print_views, views

urlpatterns = [
    path("", views.plan_list, name="safety_plan_list"),
    path("new/", views.plan_new, name="safety_plan_new"),
    path("checklist/", checklist_views.checklist_item_list, name="checklist_item_list"),
    path("checklist/new/", checklist_views.checklist_item_new, name="checklist_item_new"),
    path("checklist/<slug:code>/", checklist_views.checklist_item_edit, name="checklist_item_edit"),
    path("<uuid:pk>/", views.plan_detail, name="safety_plan_detail"),
    path("<uuid:pk>/edit/", views.plan_edit, name="safety_plan_edit"),
    path("<uuid:pk>/review/", views.plan_review, name="safety_plan_review"),
    path("<uuid:pk>/declined/", views.plan_declined, name="safety_plan_declined"),
    path("<uuid:pk>/sharing/", views.plan_sharing, name="safety_plan_sharing"),
    path("<uuid:pk>/print/", print_views.plan_print, name="safety_plan_print"),
]
