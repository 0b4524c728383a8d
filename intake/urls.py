from django.urls import path

from intake import autosave_views, views

urlpatterns = [
    path("", views.intake_list, name="intake_list"),
    path("new/", views.intake_new, name="intake_new"),
    path("statistics/", views.intake_statistics, name="intake_statistics"),
    path("trees/", views.intake_tree_list, name="intake_tree_list"),
    path("trees/<slug:slug>/<str:language>/diff/", views.intake_tree_diff, name="intake_tree_diff"),
    path("trees/<slug:slug>/<str:language>/v<int:number>/", views.intake_tree_version, name="intake_tree_version"),
    path(
        "trees/<slug:slug>/<str:language>/v<int:number>/preview/", views.intake_tree_preview, name="intake_tree_preview"
    ),
    path(
        "trees/<slug:slug>/<str:language>/v<int:number>/publish/", views.intake_tree_publish, name="intake_tree_publish"
    ),
    path("trees/<slug:slug>/<str:language>/v<int:number>/export/", views.intake_tree_export, name="intake_tree_export"),
    path("<uuid:pk>/", views.intake_detail, name="intake_detail"),
    path("<uuid:pk>/step/<slug:step>/", views.intake_step, name="intake_step"),
    path("<uuid:pk>/step/<slug:step>/autosave/", autosave_views.intake_step_autosave, name="intake_step_autosave"),
    path("<uuid:pk>/review/", views.intake_review, name="intake_review"),
    path("<uuid:pk>/finalize/", views.intake_finalize, name="intake_finalize"),
    path("<uuid:pk>/sharing/", views.intake_sharing, name="intake_sharing"),
    path("<uuid:pk>/note/", views.intake_note, name="intake_note"),
    path("<uuid:pk>/note/addendum/", views.intake_note_addendum, name="intake_note_addendum"),
    path("<uuid:pk>/note/journal-note.pdf", views.intake_note_pdf, name="intake_note_pdf"),
]
