"""Input fields: lenient where the mobile app is lenient (numbers as strings, dd/mm/yyyy,
money as staff type it), and speaking Bahasa Indonesia, marshmallow's own messages included
(their translations are in messages.py)."""
import re
from datetime import date, datetime, time

import nh3
from marshmallow import ValidationError, fields, validate
from sqlalchemy import Boolean, Date, DateTime, Float, Integer, Numeric, String, Time
from sqlalchemy import Text as TextType

from .messages import speak_indonesian

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
)
TEXT_MAX = 65535
MONEY_MAX = 2_147_483_647

# marshmallow's own messages, in Bahasa Indonesia (messages.py): set on its classes before any
# declaration builds a field, so no English default ("Not a valid integer.") ever reaches a person.
speak_indonesian()

ALLOWED_TAGS = {
    "p", "br", "span", "div", "b", "strong", "i", "em", "u", "s", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "a", "table", "thead", "tbody",
    "tr", "th", "td", "hr", "sub", "sup", "img",
}
ALLOWED_STYLE = {"font-family", "font-size", "font-weight", "font-style", "color",
                 "background-color", "text-align", "text-decoration", "white-space-collapse",
                 "white-space"}


def sanitize_html(value: str) -> str:
    """Keep formatting HTML, drop scripts, event handlers and dangerous URLs."""
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes={"*": {"style", "class"}, "a": {"href", "title"}, "img": {"src", "alt"}},
        filter_style_properties=ALLOWED_STYLE,
        url_schemes={"http", "https", "mailto"},
    )


def _blank(value):
    return value is None or (isinstance(value, str) and value.strip() == "")


class Text(fields.String):
    """A string, trimmed; blank counts as missing for nullable fields."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        result = super()._deserialize(value, attr, data, **kwargs)
        return result.strip()


class Html(Text):
    """Rich text, sanitized on the way in."""

    def _deserialize(self, value, attr, data, **kwargs):
        return sanitize_html(super()._deserialize(value, attr, data, **kwargs))


PHONE_TEXT = re.compile(r"^\+?[\d\s().-]+$")


def phone_problem(value: str) -> str | None:
    """Why a text is no Indonesian phone number, or None when it is one: an optional +62, 62
    or 0 in front, then a number that starts with 2–9; digits with spaces, dashes or brackets
    between them; 8–15 digits in all."""
    text = value.strip()
    digits = re.sub(r"\D", "", text)
    if not PHONE_TEXT.match(text) or not 8 <= len(digits) <= 15:
        return PHONE_MESSAGE
    if text.startswith("+") and not digits.startswith("62"):
        return PHONE_MESSAGE
    national = digits[2:] if digits.startswith("62") else digits.removeprefix("0")
    if not national or national[0] not in "23456789":
        return PHONE_MESSAGE
    return None


PHONE_MESSAGE = ("Nomor telepon tidak valid: 8–15 angka, boleh diawali +62, 62 atau 0 "
                 "(spasi dan tanda - boleh), misalnya 0812-3456-7890.")


NO_PHONE = ("", "-")  # the mobile app sends "-" for "no number" (a guardian's, say)


class Phone(Text):
    """An Indonesian phone number, kept as typed (trimmed); blank or "-" is no number."""

    default_error_messages = {"phone": PHONE_MESSAGE}

    def _deserialize(self, value, attr, data, **kwargs):
        result = super()._deserialize(value, attr, data, **kwargs)
        if result not in NO_PHONE and phone_problem(result):
            raise self.make_error("phone")
        return result


class _NumberInput:
    """A number input: true/false is no number, a blank value is no value (or missing)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        if _blank(value):
            if self.allow_none:
                return None
            raise self.make_error("required")
        return self._number(value, attr, data, **kwargs)


class Number(_NumberInput, fields.Integer):
    """An integer given as a number or as a string of digits ("12")."""

    def __init__(self, **kwargs):
        kwargs.setdefault("strict", False)
        super().__init__(**kwargs)

    def _number(self, value, attr, data, **kwargs):
        number = fields.Integer._deserialize(
            self, value.strip() if isinstance(value, str) else value, attr, data, **kwargs)
        if abs(number) > 2_147_483_647:
            raise ValidationError("Angka terlalu besar.")
        return number


MONEY_TEXT = re.compile(r"^(?P<whole>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<cents>\d{1,2}|-))?$")
MONEY_PREFIX = re.compile(r"^(?:rp|idr)\.?\s*", re.IGNORECASE)


def parse_rupiah(value) -> int:
    """Whole rupiah from what people type. The Indonesian rule: a dot separates thousands
    (groups of exactly three digits), a comma starts the cents, which must be zero ("160.000,00",
    "160.000,-"); an "Rp" or "IDR" in front and spaces are ignored. So 160000, 160.000,
    Rp 160.000 and Rp160.000,00 are all 160000; 160.5, 1.60.000 and 160.000,50 are refused
    (ValueError), as are negative amounts."""
    if isinstance(value, bool):
        raise ValueError("not money")
    if isinstance(value, int):
        amount = value
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")) or not value.is_integer():
            raise ValueError("not whole rupiah")
        amount = int(value)
    elif isinstance(value, str):
        text = MONEY_PREFIX.sub("", value.strip()).replace(" ", "")
        if text.startswith("-"):
            raise ValueError("negative")
        match = MONEY_TEXT.match(text)
        if match is None or (match["cents"] not in (None, "-") and int(match["cents"]) != 0):
            raise ValueError("not money")
        amount = int(match["whole"].replace(".", ""))
    else:
        raise ValueError("not money")
    if amount < 0:
        raise ValueError("negative")
    return amount


class Money(_NumberInput, fields.Integer):
    """Whole rupiah, 0 or more: a number, or text as staff type it (see parse_rupiah)."""

    default_error_messages = {
        "invalid": "Nominal tidak valid: tulis rupiah tanpa sen, misalnya 160000 atau 160.000.",
        "negative": "Nominal tidak boleh negatif.",
        "too_large": "Nominal terlalu besar.",
    }

    def _number(self, value, attr, data, **kwargs):
        try:
            amount = parse_rupiah(value)
        except ValueError as exc:
            negative = str(exc) == "negative"
            raise self.make_error("negative" if negative else "invalid") from exc
        if amount > MONEY_MAX:
            raise self.make_error("too_large")
        return amount


class Flag(fields.Boolean):
    """0/1, "0"/"1", true/false."""


class Decimal(_NumberInput, fields.Float):
    """A number with decimals (coordinates), given as a number or a string."""

    def _number(self, value, attr, data, **kwargs):
        result = fields.Float._deserialize(self, value, attr, data, **kwargs)
        if result != result or result in (float("inf"), float("-inf")):
            raise self.make_error("invalid", input=value)
        return result


class _Formatted(fields.Field):
    """A date or time given as text in one of `formats` (blank means none when allowed)."""

    formats: tuple = ()
    output_format = ""
    kind = object

    def convert(self, parsed: datetime):
        """The parsed datetime as this field's type."""
        return parsed

    def _deserialize(self, value, attr, data, **kwargs):
        if _blank(value):
            if self.allow_none:
                return None
            raise self.make_error("required")
        if isinstance(value, self.kind) and type(value) is self.kind:
            return value
        if isinstance(value, str):
            for fmt in self.formats:
                try:
                    return self.convert(datetime.strptime(value.strip(), fmt))
                except ValueError:
                    continue
        raise self.make_error("invalid")

    def _serialize(self, value, attr, obj, **kwargs):
        return value.strftime(self.output_format) if value else None


class FlexTime(_Formatted):
    """A time of day as HH:MM or HH:MM:SS."""

    default_error_messages = {"invalid": "Jam tidak valid (gunakan HH:MM)."}
    formats = ("%H:%M", "%H:%M:%S")
    output_format = "%H:%M:%S"
    kind = time

    def convert(self, parsed):
        return parsed.time()


class FlexDate(_Formatted):
    """A date as YYYY-MM-DD or DD/MM/YYYY."""

    default_error_messages = {"invalid": "Tanggal tidak valid (gunakan DD/MM/YYYY atau YYYY-MM-DD)."}
    formats = DATE_FORMATS
    output_format = "%Y-%m-%d"
    kind = date

    def convert(self, parsed):
        return parsed.date()


class BirthDate(FlexDate):
    """A date of birth: not in the future (clinic time), not before 1900."""

    default_error_messages = {"future": "Tanggal lahir tidak boleh di masa depan.",
                              "too_old": "Tanggal lahir tidak boleh sebelum 01/01/1900."}

    def _deserialize(self, value, attr, data, **kwargs):
        from models import clinic_now

        result = super()._deserialize(value, attr, data, **kwargs)
        if result is not None and result > clinic_now().date():
            raise self.make_error("future")
        if result is not None and result < date(1900, 1, 1):
            raise self.make_error("too_old")
        return result


class FlexDateTime(_Formatted):
    """A datetime as YYYY-MM-DD HH:MM[:SS] or DD/MM/YYYY HH:MM."""

    default_error_messages = {
        "invalid": "Waktu tidak valid (gunakan DD/MM/YYYY HH:MM atau YYYY-MM-DD HH:MM:SS)."
    }
    formats = DATETIME_FORMATS
    output_format = "%Y-%m-%d %H:%M:%S"
    kind = datetime


KINDS = ("money", "phone", "birth_date")  # what a declaration may say a column holds


def field_for_column(column, *, required=False, html=False, kind_of_value=None):
    """The input field for a model column, with its length limit; `kind_of_value` ("money",
    "phone", "birth_date") picks the field for what the column holds."""
    kind = column.type
    common = {"required": required, "allow_none": column.nullable and not required}
    if kind_of_value == "money":
        return Money(**common)
    if kind_of_value == "birth_date":
        return BirthDate(**common)
    if isinstance(kind, Boolean):
        return Flag(**common)
    if isinstance(kind, Float):
        return Decimal(**common)
    if isinstance(kind, (Integer, Numeric)):
        return Number(**common)
    if isinstance(kind, Time):
        return FlexTime(**common)
    if isinstance(kind, DateTime):
        return FlexDateTime(**common)
    if isinstance(kind, Date):
        return FlexDate(**common)
    if isinstance(kind, (String, TextType)):
        limit = getattr(kind, "length", None) or TEXT_MAX
        checks = [validate.Length(max=limit, error=f"Maksimal {limit} karakter.")]
        if required:
            checks.append(validate.Length(min=1, error="Wajib diisi."))
        field_class = Phone if kind_of_value == "phone" else Html if html else Text
        return field_class(validate=checks, **common)
    raise TypeError(f"no input field for column type {kind!r}")




ZERO_DATES = {"0000-00-00 00:00:00", "0000-00-00 00:00", "0000-00-00"}


class ZeroAsNone(Number):
    """An optional id where the document sends 0 for "none"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_none", True)
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        result = super()._deserialize(value, attr, data, **kwargs)
        if result is not None and result < 0:
            raise self.make_error("invalid", input=value)
        return result or None


class OptionalDateTime(FlexDateTime):
    """A datetime that may be empty; the old server's "0000-00-00 00:00:00" means none."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and value.strip() in ZERO_DATES:
            return None
        return super()._deserialize(value, attr, data, **kwargs)


__all__ = [
    "BirthDate", "Decimal", "Flag", "FlexDate", "FlexDateTime", "FlexTime", "Html", "KINDS",
    "Money", "Number", "OptionalDateTime", "Phone", "Text", "ValidationError", "ZeroAsNone",
    "field_for_column", "parse_rupiah", "phone_problem", "sanitize_html", "fields", "validate",
]
