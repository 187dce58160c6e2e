"""Simotel date conversions: Jalali records, Gregorian inputs, event stamps, all in Asia/Tehran."""

from __future__ import annotations

import pytest

from emulator.simotel import dates

# 2023-07-17 18:04:16 in Tehran (UTC+03:30) is 2023-07-17 14:34:16 UTC.
INSTANT = 1689604456.0


def test_jalali_of_an_instant_is_the_tehran_solar_hijri_date():
    assert dates.jalali(INSTANT) == "1402-04-26 18:04:16"


def test_from_jalali_inverts_jalali():
    assert dates.from_jalali("1402-04-26 18:04:16") == INSTANT


def test_from_gregorian_reads_minutes_in_tehran_time():
    assert dates.from_gregorian("2023-07-17 18:04") == INSTANT - 16


@pytest.mark.parametrize("text", ["2023-07-17 18:04:16", "2023-07-17T18:04:16"])
def test_from_gregorian_accepts_seconds_and_iso_separator(text):
    assert dates.from_gregorian(text) == INSTANT


def test_from_gregorian_bare_date_is_midnight():
    assert dates.gregorian(dates.from_gregorian("2023-07-17")) == "2023-07-17 00:00:00"


@pytest.mark.parametrize("text", ["", "17/07/2023", "2023-13-01 00:00", "yesterday"])
def test_from_gregorian_malformed_raises_value_error(text):
    with pytest.raises(ValueError):
        dates.from_gregorian(text)


def test_from_input_treats_years_before_1700_as_jalali():
    assert dates.from_input("1402-04-26 18:04:16") == dates.from_input("2023-07-17 18:04:16") == INSTANT


def test_event_stamp_is_gregorian_with_microseconds():
    assert dates.event_stamp(INSTANT + 0.310319) == "2023-07-17 18:04:16.310319"


def test_mongo_date_is_extended_json_milliseconds():
    assert dates.mongo_date(INSTANT) == {"$date": {"$numberLong": "1689604456000"}}


@pytest.mark.parametrize(("seconds", "text"), [(0, "00:00:00"), (65, "00:01:05"), (3725, "01:02:05")])
def test_hhmmss_formats_durations(seconds, text):
    assert dates.hhmmss(seconds) == text


def test_jalali_new_year_boundary_follows_the_persian_calendar():
    # Nowruz 1403 began on 2024-03-20 (Gregorian) at 06:36 Tehran; midnight that day is 1403-01-01.
    assert dates.jalali(dates.from_gregorian("2024-03-20 00:00")) == "1403-01-01 00:00:00"
    assert dates.jalali(dates.from_gregorian("2024-03-19 23:59")) == "1402-12-29 23:59:00"
