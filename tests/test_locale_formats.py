"""Labels and numbers follow the reader's language, whatever language a module was
imported in; the language switcher waits for an explicit choice."""

from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation

from leadflow.charts import bars

pytestmark = pytest.mark.django_db


def test_queue_sort_labels_are_in_each_readers_language(client: Client, marketer) -> None:
    client.force_login(marketer)

    english = client.get("/queue/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    spanish = client.get("/queue/", HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert ">Best fit<" in english
    assert ">Mejor encaje<" in spanish
    assert ">Best fit<" not in spanish


@pytest.mark.parametrize(
    ("language", "expected"),
    # (Spanish groups thousands with a no-break space, as the tables beside the charts do.)
    [("en", ["12,345.5%", "0.3%", "n/a"]), ("es", ["12\xa0345,5%", "0,3%", "n/d"])],
)
def test_chart_numbers_are_formatted_in_the_readers_locale(language, expected) -> None:
    rows = [("MQL", 12345.54), ("SQL", Decimal("0.26")), ("Customer", None)]

    with translation.override(language):
        chart = bars(rows, unit="%", digits=1)

    assert [bar.shown for bar in chart.bars] == expected


def test_the_language_switcher_waits_for_an_explicit_choice(client: Client, rep) -> None:
    client.force_login(rep)

    html = client.get("/inbox/").content.decode()
    switcher = html[html.index('class="language-switcher"') :]
    switcher = switcher[: switcher.index("</form>")]

    assert "data-autosubmit" not in switcher  # arrow keys must not reload the page
    assert '<button type="submit"' in switcher
