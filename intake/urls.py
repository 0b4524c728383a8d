from django.urls import path

from intake.views import autosave, finalize, sharing, statistics, trees, wizard

urlpatterns = [
    path("", wizard.intake_list, name="intake_list"),
    path("new/", wizard.intake_new, name="intake_new"),
    path("statistics/", statistics.intake_statistics, name="intake_statistics"),
    path("trees/", trees.intake_tree_list, name="intake_tree_list"),
    path("trees/<slug:slug>/<str:language>/diff/", trees.intake_tree_diff, name="intake_tree_diff"),
    path("trees/<slug:slug>/<str:language>/v<int:number>/", trees.intake_tree_version, name="intake_tree_version"),
    path(
        "trees/<slug:slug>/<str:language>/v<int:number>/preview/", trees.intake_tree_preview, name="intake_tree_preview"
    ),
    path(
        "trees/<slug:slug>/<str:language>/v<int:number>/publish/", trees.intake_tree_publish, name="intake_tree_publish"
    ),
    path("trees/<slug:slug>/<str:language>/v<int:number>/export/", trees.intake_tree_export, name="intake_tree_export"),
    path("<uuid:pk>/", wizard.intake_detail, name="intake_detail"),
    path("<uuid:pk>/step/<slug:step>/", wizard.intake_step, name="intake_step"),
    path("<uuid:pk>/step/<slug:step>/autosave/", autosave.intake_step_autosave, name="intake_step_autosave"),
    path("<uuid:pk>/review/", finalize.intake_review, name="intake_review"),
    path("<uuid:pk>/finalize/", finalize.intake_finalize, name="intake_finalize"),
    path("<uuid:pk>/sharing/", sharing.intake_sharing, name="intake_sharing"),
    path("<uuid:pk>/note/", finalize.intake_note, name="intake_note"),
    path("<uuid:pk>/note/addendum/", finalize.intake_note_addendum, name="intake_note_addendum"),
    path("<uuid:pk>/note/journal-note.pdf", finalize.intake_note_pdf, name="intake_note_pdf"),
]
