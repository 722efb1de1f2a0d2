from django.urls import path

from secretariat.translation import queue_views, resource_views, views

urlpatterns = [
    path("translation/", queue_views.QueueView.as_view(), name="translation_queue"),
    path(
        "translation/edit/<str:label>/<int:pk>/<str:field>/<str:language>/",
        queue_views.EditorView.as_view(),
        name="translation_editor",
    ),
    path(
        "translation/pretranslate/",
        queue_views.PretranslateView.as_view(),
        name="translation_pretranslate",
    ),
    path("translation/runs/<int:pk>/", queue_views.RunView.as_view(), name="translation_run"),
    path("translation/xliff/", views.XliffImportView.as_view(), name="xliff_import"),
    path("translation/xliff/queue/", resource_views.QueueXliffView.as_view(), name="queue_xliff"),
    path(
        "translation/xliff/<str:label>/<int:pk>/",
        views.BundleXliffView.as_view(),
        name="bundle_xliff",
    ),
    path("translation/glossary/", resource_views.GlossaryView.as_view(), name="glossary"),
    path(
        "translation/glossary/new/", resource_views.ConceptEditView.as_view(), name="concept_create"
    ),
    path(
        "translation/glossary/<int:pk>/",
        resource_views.ConceptEditView.as_view(),
        name="concept_edit",
    ),
    path("translation/memory/", resource_views.MemoryView.as_view(), name="memory"),
    path("translation/engines/", resource_views.EnginesView.as_view(), name="engines"),
    path(
        "translation/engines/<int:pk>/",
        resource_views.EngineEditView.as_view(),
        name="engine_edit",
    ),
    path("translation/words/", resource_views.WordsView.as_view(), name="translated_words"),
]
