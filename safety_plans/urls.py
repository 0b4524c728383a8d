from django.urls import path

from safety_plans.views import checklist, plans, printout

app_name = "safety_plans"

urlpatterns = [
    path("", plans.plan_list, name="list"),
    path("new/", plans.plan_new, name="new"),
    path("checklist/", checklist.checklist_item_list, name="checklist_item_list"),
    path("checklist/new/", checklist.checklist_item_new, name="checklist_item_new"),
    path("checklist/<slug:code>/", checklist.checklist_item_edit, name="checklist_item_edit"),
    path("<uuid:pk>/", plans.plan_detail, name="detail"),
    path("<uuid:pk>/edit/", plans.plan_edit, name="edit"),
    path("<uuid:pk>/review/", plans.plan_review, name="review"),
    path("<uuid:pk>/declined/", plans.plan_declined, name="declined"),
    path("<uuid:pk>/sharing/", plans.plan_sharing, name="sharing"),
    path("<uuid:pk>/print/", printout.plan_print, name="print"),
]
