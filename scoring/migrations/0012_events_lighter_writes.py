import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Storing an event writes less: no index on its lead alone (event_lead_time covers
    it), no foreign-key check per pending row.

    Django would drop and re-add the events' foreign key to drop the index, re-checking
    every stored event under a lock that stops ingestion: the index is dropped by hand.
    """

    dependencies = [
        ("leads", "0025_room_for_a_whole_page_of_score_updates"),
        ("scoring", "0011_history_lead_index_covered_by_lead_at"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="event",
                    name="lead",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="leads.lead",
                        verbose_name="lead",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "DROP INDEX IF EXISTS scoring_event_lead_id_dcd596e1",
                    "CREATE INDEX IF NOT EXISTS scoring_event_lead_id_dcd596e1"
                    " ON scoring_event (lead_id)",
                ),
            ],
        ),
        migrations.AlterField(
            model_name="pendingevent",
            name="event",
            field=models.OneToOneField(
                db_constraint=False,
                on_delete=django.db.models.deletion.CASCADE,
                primary_key=True,
                related_name="+",
                serialize=False,
                to="scoring.event",
            ),
        ),
    ]
