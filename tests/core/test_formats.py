"""English pages follow European conventions (en-GB): day before month, 24-hour times, weeks
from Monday; French, German and Dutch keep their own."""

import datetime
import zoneinfo
from typing import Any

import pytest
from django import forms
from django.template import Context, Template
from django.utils import formats, translation

DAY = datetime.date(2026, 12, 1)  # a date to format, not today: no clock involved
MOMENT = datetime.datetime(2026, 12, 1, 14, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Brussels"))


@pytest.mark.parametrize(
    ("language", "date", "time", "short"),
    [
        ("en", "1 December 2026", "14:30", "01/12/2026"),
        ("fr", "1 décembre 2026", "14:30", "01/12/2026"),
        ("de", "1. Dezember 2026", "14:30", "01.12.2026"),
        ("nl", "1 december 2026", "14:30", "1-12-2026"),
    ],
)
def test_dates_and_times_in_each_language(language: str, date: str, time: str, short: str) -> None:
    with translation.override(language):
        assert formats.date_format(DAY, "DATE_FORMAT") == date
        assert formats.time_format(MOMENT, "TIME_FORMAT") == time
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == short
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1  # Monday
        rendered = Template('{{ day|date:"DATE_FORMAT" }} {{ moment|time }}').render(
            Context({"day": DAY, "moment": MOMENT})
        )
        assert rendered == f"{date} {time}"


def test_english_datetimes_have_no_am_pm() -> None:
    with translation.override("en"):
        assert formats.date_format(MOMENT, "DATETIME_FORMAT") == "1 December 2026, 14:30"
        assert formats.date_format(MOMENT, "SHORT_DATETIME_FORMAT") == "01/12/2026 14:30"


def test_english_date_fields_still_read_and_fill_iso_inputs(db: Any) -> None:
    """<input type="date"> speaks ISO 8601: the first input format must stay ISO."""

    class DayForm(forms.Form):
        day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    with translation.override("en"):
        assert 'value="2026-12-01"' in str(DayForm(initial={"day": DAY})["day"])
        assert DayForm({"day": "2026-12-01"}).is_valid()
        typed = DayForm({"day": "01/12/2026"})
        assert typed.is_valid() and typed.cleaned_data["day"] == DAY  # day first, as in Europe
