"""The home's today (domain/clock.py): the date of the instant in the home's time zone, not the server's."""
from datetime import UTC, date, datetime

from backend.domain.clock import today_of


def test_the_home_s_today_is_the_date_where_the_home_is():
    late_utc = datetime(2026, 11, 25, 20, 30, tzinfo=UTC)
    assert today_of("Asia/Krasnoyarsk", late_utc) == date(2026, 11, 26)
    assert today_of("Europe/Moscow", late_utc) == date(2026, 11, 25)
    assert today_of("America/New_York", datetime(2026, 11, 26, 3, 0, tzinfo=UTC)) == date(2026, 11, 25)
