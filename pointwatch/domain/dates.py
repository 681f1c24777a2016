"""Calendar months, inclusive day windows and the date expressions of campaign definitions.

Pure: nothing here reads the clock. Relative expressions ("joined+2M") are resolved against
anchor dates the caller passes in.
"""

from __future__ import annotations

import calendar
import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from pointwatch.errors import InvalidValue
from pointwatch.i18n import _

# Supported years. Far below Python's 9999 on purpose: every computation on a day (offsets of up
# to ten years, `repeat` up to 30, grace and lead times up to a year) stays inside `date`.
MIN_YEAR = 1900
MAX_YEAR = 2999

# joined: the enrollment's day; qualified: the day its required conditions were met;
# received: the day a grant was paid (for `expires`). Which ones a key takes is the loader's.
ANCHORS = ("joined", "qualified", "received")
# Bounds of a relative offset: campaigns promise within months, fee waivers recur yearly;
# ten years covers both, and keeps every resolved day inside the supported years.
MAX_OFFSET_MONTHS = 120
MAX_OFFSET_DAYS = 3660

# Part of a month -> (first day, last day); days beyond the month's length clamp to its last
# day and None means the last day, so "end" = (31, None) is the last day only.
MONTH_PARTS: dict[str, tuple[int, int | None]] = {
    "early": (1, 10),
    "mid": (11, 20),
    "late": (21, None),
    "end": (31, None),
    "month": (1, None),
}

# Japanese spellings of the parts (上旬/中旬/下旬 are the customary thirds of a month).
_PART_ALIASES: dict[str, str] = {
    "上旬": "early",
    "中旬": "mid",
    "下旬": "late",
    "末": "end",
    "月末": "end",
}

_MONTH_FORMS = "YYYY-MM, YYYY/MM or YYYY年M月"
_EXPRESSION_FORMS = (
    "YYYY-MM-DD, YYYY-MM, YYYY-MM early|mid|late|end|month, 2023年1月上旬|中旬|下旬|末, "
    "or joined|qualified|received with an optional ±N M|d and part, e.g. joined+2M end, "
    "qualified+60d"
)

_EN_PARTS = "|".join(MONTH_PARTS)
_JA_PARTS = "|".join(sorted(_PART_ALIASES, key=len, reverse=True))
# English parts need a space before them ("2023-01 mid"); Japanese ones may follow directly
# ("2023年1月中旬"), as Japanese is written without spaces.
_PART = rf"(?:\s+(?P<en>{_EN_PARTS})|\s*(?P<ja>{_JA_PARTS}))"
# re.ASCII: only ASCII digits count; NFKC has already folded full-width ones.
_DATE_RE = re.compile(r"(\d{4})([-/])(\d{1,2})\2(\d{1,2})", re.ASCII)
_DATE_JA_RE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日", re.ASCII)
_MONTH_RE = re.compile(r"(\d{4})(?:[-/](\d{1,2})|年(\d{1,2})月)", re.ASCII)
_MONTH_PART_RE = re.compile(rf"(?P<month>{_MONTH_RE.pattern}){_PART}?", re.IGNORECASE | re.ASCII)
_OFFSET = r"\s*(?P<sign>[+-])\s*(?P<amount>\d+)\s*(?P<unit>[md])"
_RELATIVE_RE = re.compile(
    rf"(?P<anchor>{'|'.join(ANCHORS)})(?:{_OFFSET})?{_PART}?", re.IGNORECASE | re.ASCII
)


def _quote(text: str) -> str:
    shown = text if len(text) <= 60 else text[:59] + "…"  # a message stays one readable line
    return f'"{shown}"'


def _normalise(text: str) -> str:
    # NFKC folds full-width digits and spaces (２０２３年１月) that Japanese text often carries.
    return unicodedata.normalize("NFKC", text).strip()


def parse_date(text: str) -> date:
    """Parse one calendar day written as YYYY-MM-DD, YYYY/MM/DD or YYYY年M月D日."""
    cleaned = _normalise(text)
    fields: tuple[str, str, str] | None = None
    if (match := _DATE_RE.fullmatch(cleaned)) is not None:
        fields = (match[1], match[3], match[4])
    elif (match := _DATE_JA_RE.fullmatch(cleaned)) is not None:
        fields = (match[1], match[2], match[3])
    if fields is not None and MIN_YEAR <= int(fields[0]) <= MAX_YEAR:
        try:
            return date(int(fields[0]), int(fields[1]), int(fields[2]))
        except ValueError:
            pass  # an impossible day (2023-02-30) gets the same message as a wrong shape
    raise InvalidValue(
        _("{quote}: not a valid date (expected YYYY-MM-DD)").format(quote=_quote(text))
    )


def add_months(day: date, months: int) -> date:
    """Shift a day by whole months, clamping to the last day of a shorter month."""
    try:
        shifted = day + relativedelta(months=months)
        if not MIN_YEAR <= shifted.year <= MAX_YEAR:
            raise ValueError(shifted)
        return shifted
    except (ValueError, OverflowError):
        raise InvalidValue(
            _(
                "{day} {months:+d} months: outside the supported years (expected a "
                "result between {min_year} and {max_year})"
            ).format(day=day.isoformat(), months=months, min_year=MIN_YEAR, max_year=MAX_YEAR)
        ) from None


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, e.g. a statement month."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if isinstance(self.year, bool) or not isinstance(self.year, int):
            raise InvalidValue(
                _("month year {year!r} is not a whole number (expected a year)").format(
                    year=self.year
                )
            )
        if isinstance(self.month, bool) or not isinstance(self.month, int):
            raise InvalidValue(
                _("month {month!r} is not a whole number (expected 1..12)").format(month=self.month)
            )
        if not 1 <= self.month <= 12:
            raise InvalidValue(
                _("month {month} is out of range (expected 1..12)").format(month=self.month)
            )
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise InvalidValue(
                _("year {year} is out of range (expected {min_year}..{max_year})").format(
                    year=self.year, min_year=MIN_YEAR, max_year=MAX_YEAR
                )
            )

    @classmethod
    def parse(cls, text: str) -> Month:
        """Parse a month written as YYYY-MM, YYYY/MM or YYYY年M月."""
        match = _MONTH_RE.fullmatch(_normalise(text))
        if match is None:
            raise InvalidValue(
                _("{quote}: not a valid month (expected {month_forms})").format(
                    quote=_quote(text), month_forms=_MONTH_FORMS
                )
            )
        year, month = int(match[1]), int(match[2] or match[3])
        if not (1 <= month <= 12 and MIN_YEAR <= year <= MAX_YEAR):
            raise InvalidValue(
                _("{quote}: not a valid month (expected {month_forms})").format(
                    quote=_quote(text), month_forms=_MONTH_FORMS
                )
            )
        return cls(year, month)

    @classmethod
    def of(cls, day: date) -> Month:
        """The month a day falls in."""
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        """The 1st of the month."""
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        """The last day of the month (the 29th of February in leap years)."""
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def day(self, number: int) -> date:
        """Day `number` of the month, clamped to its last day (31 in February is the 28th/29th)."""
        return date(self.year, self.month, min(number, self.last_day.day))

    def plus(self, months: int) -> Month:
        """The month `months` later (earlier when negative)."""
        index = self.year * 12 + (self.month - 1) + months
        return Month(index // 12, index % 12 + 1)


@dataclass(frozen=True)
class DateWindow:
    """An inclusive range of days."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidValue(
                _(
                    "window {start}..{end}: the end is before the start (expected end on "
                    "or after start)"
                ).format(start=self.start.isoformat(), end=self.end.isoformat())
            )

    def contains(self, day: date) -> bool:
        """Whether the day is inside the window (both ends included)."""
        return self.start <= day <= self.end

    def distance(self, day: date) -> int:
        """Days from the window: 0 inside, else days before the start or after the end."""
        if day < self.start:
            return (self.start - day).days
        if day > self.end:
            return (day - self.end).days
        return 0


def month_part_window(month: Month, part: str) -> DateWindow:
    """The window of one part of a month ("early", "mid", "late", "end" or "month")."""
    try:
        first, last = MONTH_PARTS[part]
    except KeyError:
        raise InvalidValue(
            _("{quote}: not a part of a month (expected one of {month_parts})").format(
                quote=_quote(part), month_parts=", ".join(MONTH_PARTS)
            )
        ) from None
    return DateWindow(month.day(first), month.last_day if last is None else month.day(last))


@dataclass(frozen=True)
class DateExpression:
    """A parsed date expression, not yet resolved to days.

    Absolute expressions carry their `window`; relative ones carry the `anchor`, an offset in
    months or days and an optional month `part` (None means the single shifted day).
    """

    text: str
    anchor: str | None
    window: DateWindow | None = None
    offset_months: int = 0
    offset_days: int = 0
    part: str | None = None

    def __post_init__(self) -> None:
        if self.anchor is None:
            if self.window is None:
                raise InvalidValue(
                    _("{quote}: an absolute expression needs a window").format(
                        quote=_quote(self.text)
                    )
                )
        elif self.anchor not in ANCHORS:
            raise InvalidValue(
                _("{quote}: unknown anchor {anchor} (expected one of {anchors})").format(
                    quote=_quote(self.text), anchor=_quote(self.anchor), anchors=", ".join(ANCHORS)
                )
            )
        if self.part is not None and self.part not in MONTH_PARTS:
            raise InvalidValue(
                _("{quote}: unknown month part {part} (expected one of {month_parts})").format(
                    quote=_quote(self.text),
                    part=_quote(self.part),
                    month_parts=", ".join(MONTH_PARTS),
                )
            )
        if abs(self.offset_months) > MAX_OFFSET_MONTHS or abs(self.offset_days) > MAX_OFFSET_DAYS:
            raise InvalidValue(
                f"{_quote(self.text)}: offset too large (expected at most {MAX_OFFSET_MONTHS}M "
                f"or {MAX_OFFSET_DAYS}d, ten years)"
            )

    def resolve(self, anchors: Mapping[str, date]) -> DateWindow:
        """The days the expression stands for; relative ones need their anchor in `anchors`."""
        if self.anchor is None:
            assert self.window is not None  # guaranteed by __post_init__
            return self.window
        base = anchors.get(self.anchor)
        if base is None:
            raise InvalidValue(
                _("{quote}: needs the {anchor} date, which is not known").format(
                    quote=_quote(self.text), anchor=_quote(self.anchor)
                )
            )
        shifted = add_months(base, self.offset_months)
        if self.offset_days:
            try:
                shifted += timedelta(days=self.offset_days)
            except OverflowError:
                raise InvalidValue(
                    _(
                        "{quote}: resolves outside the supported years (expected "
                        "{min_year}..{max_year})"
                    ).format(quote=_quote(self.text), min_year=MIN_YEAR, max_year=MAX_YEAR)
                ) from None
        if self.part is None:
            return DateWindow(shifted, shifted)
        return month_part_window(Month.of(shifted), self.part)


@functools.lru_cache(maxsize=65536)
def resolve_at(expression: DateExpression, day: date) -> DateWindow:
    """`expression` resolved with its own anchor on `day` (absolute ones ignore it); cached:
    thousands of enrollments share a few hundred joined days."""
    return expression.resolve({} if expression.anchor is None else {expression.anchor: day})


def _canonical_part(match: re.Match[str]) -> str | None:
    if match["en"] is not None:
        return match["en"].lower()
    if match["ja"] is not None:
        return _PART_ALIASES[match["ja"]]
    return None


def parse_date_expression(text: str) -> DateExpression:
    """Parse a date expression of a campaign definition (DESIGN §3)."""
    cleaned = _normalise(text)

    def invalid(reason: str = "") -> InvalidValue:
        return InvalidValue(
            _("{quote}: not a valid date expression{reason} (expected {expression_forms})").format(
                quote=_quote(text), reason=reason, expression_forms=_EXPRESSION_FORMS
            )
        )

    relative = _RELATIVE_RE.fullmatch(cleaned)
    if relative is not None:
        months = days = 0
        if relative["amount"] is not None:
            digits = relative["amount"].lstrip("0") or "0"
            # Thousands of digits would not even convert; any this long are refused below.
            amount = int(digits) if len(digits) <= 10 else 10**10
            value = amount * (-1 if relative["sign"] == "-" else 1)
            if relative["unit"].lower() == "m":
                months = value
            else:
                days = value
        return DateExpression(
            text, relative["anchor"].lower(), None, months, days, _canonical_part(relative)
        )

    if _DATE_RE.fullmatch(cleaned) or _DATE_JA_RE.fullmatch(cleaned):
        try:
            single = parse_date(cleaned)
        except InvalidValue:
            raise invalid(", no such day") from None
        return DateExpression(text, None, DateWindow(single, single))

    month_part = _MONTH_PART_RE.fullmatch(cleaned)
    if month_part is None:
        raise invalid()
    try:
        month = Month.parse(month_part["month"])
    except InvalidValue:
        raise invalid(", no such month") from None
    return DateExpression(
        text, None, month_part_window(month, _canonical_part(month_part) or "month")
    )
