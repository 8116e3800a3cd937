"""Internally consistent card holders: the number encodes the region, birth and sex, the
address starts with the region (sometimes printed without a level), and the validity period
follows the age rule."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from idcard_ocr.card.dates import age_on, validity_end, validity_years
from idcard_ocr.card.idnumber import check_char
from idcard_ocr.card.regions import Region, authority_for, current_counties
from idcard_ocr.synth.addresses import generate_address, printed_region_name
from idcard_ocr.synth.names import generate_person

# "Today" of every synthetic card: fixed, so a seed renders the same card on any day.
REFERENCE_DAY = date(2025, 6, 30)
OLDEST_BIRTH = date(1935, 1, 1)
# Second-generation cards have been issued since 2004.
FIRST_ISSUE = date(2004, 1, 1)
# Share of numbers forced to end in X, on top of the natural 1 in 11.
FORCED_X_SHARE = 0.05


@dataclass(frozen=True)
class Identity:
    """Everything printed on both sides of one card."""

    name: str
    sex: str
    nation: str
    birth: date
    address: str
    id_number: str
    authority: str
    valid_start: date
    valid_end: date | None
    region: Region


def generate_identity(rng: random.Random, today: date = REFERENCE_DAY) -> Identity:
    """A random card holder whose fields agree with each other and with `today`."""
    person = generate_person(rng)
    region = rng.choice(current_counties())
    birth = _random_day(rng, OLDEST_BIRTH, today - timedelta(days=2 * 365))
    start = _random_day(rng, max(_add_year(birth), FIRST_ISSUE), today)
    years = validity_years(age_on(birth, start))
    return Identity(
        name=person.name,
        sex=person.sex,
        nation=person.nation,
        birth=birth,
        address=generate_address(rng, printed_region_name(rng, region)),
        id_number=_id_number(rng, str(region.code), birth, person.sex),
        authority=authority_for(region),
        valid_start=start,
        valid_end=None if years is None else validity_end(start, years),
        region=region,
    )


def _id_number(rng: random.Random, code: str, birth: date, sex: str) -> str:
    """Region code, birth, a sequence whose last digit is odd for 男, and the check char."""
    force_x = rng.random() < FORCED_X_SHARE
    while True:
        last = rng.choice("13579" if sex == "男" else "02468")
        first17 = f"{code}{birth:%Y%m%d}{rng.randrange(100):02d}{last}"
        check = check_char(first17)
        if not force_x or check == "X":
            return first17 + check


def _random_day(rng: random.Random, low: date, high: date) -> date:
    """A uniformly random day in [low, high]."""
    return low + timedelta(days=rng.randint(0, max((high - low).days, 0)))


def _add_year(day: date) -> date:
    """The same day one year later (28 February for 29 February)."""
    return day.replace(year=day.year + 1, day=min(day.day, 28) if day.month == 2 else day.day)
