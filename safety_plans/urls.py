from django.urls import path

from safety_plans.views import checklist, plans, printout

urlpatterns = [
    path("", plans.plan_list, name="safety_plan_list"),
    path("new/", plans.plan_new, name="safety_plan_new"),
    path("checklist/", checklist.checklist_item_list, name="checklist_item_list"),
    path("checklist/new/", checklist.checklist_item_new, name="checklist_item_new"),
    path("checklist/<slug:code>/", checklist.checklist_item_edit, name="checklist_item_edit"),
    path("<uuid:pk>/", plans.plan_detail, name="safety_plan_detail"),
    path("<uuid:pk>/edit/", plans.plan_edit, name="safety_plan_edit"),
    path("<uuid:pk>/review/", plans.plan_review, name="safety_plan_review"),
    path("<uuid:pk>/declined/", plans.plan_declined, name="safety_plan_declined"),
    path("<uuid:pk>/sharing/", plans.plan_sharing, name="safety_plan_sharing"),
    path("<uuid:pk>/print/", printout.plan_print, name="safety_plan_print"),
]
