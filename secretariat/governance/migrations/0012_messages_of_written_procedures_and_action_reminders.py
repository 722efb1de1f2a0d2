"""Messages of written procedures and reminders of follow-up actions get a row each, with
its status, like a meeting's deliveries (``core/mailer.py`` sends them all). The messages
that the procedures still owe their members (not sent yet, or failed) are queued in the new
table, so that the next run sends them; those already sent stay recorded on the answers.
A row being sent is marked ``sending`` with the time its attempt began (``tried_at``)."""

import django.db.models.deletion
from django.db import migrations, models


def queue_what_is_owed(apps, schema_editor):
    WrittenAnswer = apps.get_model("governance", "WrittenAnswer")
    WrittenMessage = apps.get_model("governance", "WrittenMessage")
    owed = []
    answers = WrittenAnswer.objects.exclude(address="").select_related("procedure")
    for answer in answers.iterator():
        state = answer.procedure.state
        if state == "open" and answer.sent_at is None:
            kind = "launch"
        elif state == "closed" and answer.outcome_sent_at is None:
            kind = "outcome"
        elif state == "cancelled" and answer.sent_at and answer.outcome_sent_at is None:
            kind = "withdrawal"
        else:
            continue
        owed.append(
            WrittenMessage(
                organisation_id=answer.procedure.organisation_id,
                answer=answer,
                kind=kind,
                address=answer.address,
                status="failed" if answer.error else "queued",
                attempts=1 if answer.error else 0,
                error=answer.error,
            )
        )
    WrittenMessage.objects.bulk_create(owed, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_organisation_owned"),
        ("governance", "0011_organisation_owned"),
    ]

    operations = [
        migrations.AddField(
            model_name="delivery",
            name="tried_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="delivery",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "queued"),
                    ("sending", "being sent"),
                    ("sent", "sent"),
                    ("failed", "failed"),
                    ("no_address", "no e-mail address: printed letter"),
                ],
                default="queued",
                max_length=12,
            ),
        ),
        migrations.CreateModel(
            name="ActionReminder",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "queued"),
                            ("sending", "being sent"),
                            ("sent", "sent"),
                            ("failed", "failed"),
                        ],
                        default="queued",
                        max_length=12,
                    ),
                ),
                ("address", models.EmailField(blank=True, max_length=254)),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                ("error", models.TextField(blank=True)),
                ("queued_at", models.DateTimeField(auto_now_add=True)),
                ("tried_at", models.DateTimeField(blank=True, null=True)),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
                ("day", models.DateField()),
                (
                    "action",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reminders",
                        to="governance.followupaction",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="core.organisation",
                    ),
                ),
            ],
            options={
                "ordering": ["id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("action", "day"), name="action_reminder_once_a_day"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="WrittenMessage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "queued"),
                            ("sending", "being sent"),
                            ("sent", "sent"),
                            ("failed", "failed"),
                        ],
                        default="queued",
                        max_length=12,
                    ),
                ),
                ("address", models.EmailField(blank=True, max_length=254)),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                ("error", models.TextField(blank=True)),
                ("queued_at", models.DateTimeField(auto_now_add=True)),
                ("tried_at", models.DateTimeField(blank=True, null=True)),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("launch", "launch"),
                            ("reminder", "reminder"),
                            ("outcome", "outcome"),
                            ("withdrawal", "withdrawal"),
                        ],
                        max_length=12,
                    ),
                ),
                (
                    "answer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="messages",
                        to="governance.writtenanswer",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="core.organisation",
                    ),
                ),
            ],
            options={
                "ordering": ["id"],
                "indexes": [
                    models.Index(
                        fields=["status", "queued_at"], name="governance__status_4a0bb2_idx"
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("answer", "kind"), name="written_message_once")
                ],
            },
        ),
        migrations.RunPython(queue_what_is_owed, migrations.RunPython.noop),
    ]
