from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslationConfig(AppConfig):
    name = "secretariat.translation"
    label = "translation"
    verbose_name = _("Translation")

    def ready(self) -> None:
        from secretariat.core.signals import text_reviewed
        from secretariat.translation import receivers

        text_reviewed.connect(receivers.learn_reviewed_translation, dispatch_uid="memory-learns")

        from secretariat.core.signals import translations_written
        from secretariat.translation.accounting import record_written

        translations_written.connect(record_written, dispatch_uid="words-counted")

        from secretariat.core import text_checks
        from secretariat.translation.glossary import check_pairs

        text_checks.register(check_pairs)

        from secretariat.core import daily, navigation
        from secretariat.core.permissions import Perm
        from secretariat.translation.machine import daily_expiry

        daily.register(daily.Job("translation.machine_expiry", daily_expiry, 800))
        navigation.register(
            navigation.Entry("translation_queue", _("Translations"), 800, Perm.TEXT_REVIEW)
        )
