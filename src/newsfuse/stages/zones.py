"""The time zone of a page's local times, from its country-code domain.

Pages often state a time of day without a zone ("20.06.2019 07:30 Uhr", ``datetime="2019-05-15
05:28:29"``). Read as UTC it would be hours off and could move the day, so a local time is used
only where the site's country has a single civil time zone (``.de``, ``.jp``, ``.kr``, ...);
anywhere else (``.com``, ``.org``, countries with several zones) only the day is kept.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

# country-code top-level domains of countries that keep one civil time (outlying islands aside)
_COUNTRY_ZONES = {
    "at": "Europe/Vienna", "be": "Europe/Brussels", "bg": "Europe/Sofia", "ch": "Europe/Zurich",
    "cn": "Asia/Shanghai", "cz": "Europe/Prague", "de": "Europe/Berlin", "dk": "Europe/Copenhagen",
    "ee": "Europe/Tallinn", "es": "Europe/Madrid", "fi": "Europe/Helsinki", "fr": "Europe/Paris",
    "gr": "Europe/Athens", "hk": "Asia/Hong_Kong", "hr": "Europe/Zagreb", "hu": "Europe/Budapest",
    "ie": "Europe/Dublin", "il": "Asia/Jerusalem", "in": "Asia/Kolkata", "it": "Europe/Rome",
    "jp": "Asia/Tokyo", "kr": "Asia/Seoul", "lt": "Europe/Vilnius", "lu": "Europe/Luxembourg",
    "lv": "Europe/Riga", "nl": "Europe/Amsterdam", "no": "Europe/Oslo", "ph": "Asia/Manila",
    "pk": "Asia/Karachi", "pl": "Europe/Warsaw", "pt": "Europe/Lisbon", "ro": "Europe/Bucharest",
    "rs": "Europe/Belgrade", "se": "Europe/Stockholm", "sg": "Asia/Singapore", "si": "Europe/Ljubljana",
    "sk": "Europe/Bratislava", "th": "Asia/Bangkok", "tr": "Europe/Istanbul", "tw": "Asia/Taipei",
    "ua": "Europe/Kyiv", "uk": "Europe/London", "vn": "Asia/Ho_Chi_Minh", "za": "Africa/Johannesburg",
}  # fmt: skip
_LOCAL_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?$")


@lru_cache(maxsize=64)
def _zone(name: str) -> tzinfo:
    return ZoneInfo(name)


def country_zone(domain: str) -> tzinfo | None:
    """The single time zone of the country of ``domain`` ("heise.de" -> Europe/Berlin), else None."""
    zone = _COUNTRY_ZONES.get(domain.rsplit(".", 1)[-1]) if domain else None
    return _zone(zone) if zone else None


def localised(value: str, domain: str, *, markup: bool) -> str:
    """A stated time without a zone ("2019-06-20T07:30:00") in the zone of the site's country; where
    the country has none, the day alone for a time read in the page's text, the value as it is (read
    as UTC, as metadata usually is) for ``markup``; a value with a zone, or a day, is kept as it is."""
    match = _LOCAL_TIME.match(value.strip())
    if match is None:
        return value
    zone = country_zone(domain)
    if zone is None:
        return value if markup else match.group(1)
    return datetime.fromisoformat(f"{match.group(1)}T{match.group(2)}").replace(tzinfo=zone).isoformat()
