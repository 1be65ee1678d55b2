"""Input fields: lenient where the mobile app is lenient (numbers as strings, dd/mm/yyyy)."""
from datetime import date, datetime, time

import nh3
from marshmallow import ValidationError, fields, validate
from sqlalchemy import Boolean, Date, DateTime, Float, Integer, Numeric, String, Time
from sqlalchemy import Text as TextType

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


class FlexDateTime(_Formatted):
    """A datetime as YYYY-MM-DD HH:MM[:SS] or DD/MM/YYYY HH:MM."""

    default_error_messages = {
        "invalid": "Waktu tidak valid (gunakan DD/MM/YYYY HH:MM atau YYYY-MM-DD HH:MM:SS)."
    }
    formats = DATETIME_FORMATS
    output_format = "%Y-%m-%d %H:%M:%S"
    kind = datetime


def field_for_column(column, *, required=False, html=False):
    """The input field for a model column, with its length limit."""
    kind = column.type
    common = {"required": required, "allow_none": column.nullable and not required}
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
        return (Html if html else Text)(validate=checks, **common)
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
    "Decimal", "Flag", "FlexDate", "FlexDateTime", "FlexTime", "Html", "Number", "OptionalDateTime", "Text",
    "ValidationError", "ZeroAsNone",
    "field_for_column", "sanitize_html", "fields", "validate",
]
