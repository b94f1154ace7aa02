"""URL converters. `id` is a database id: at most 18 digits, so it always fits a bigint and an
absurd id in a URL is a plain 404 instead of a database error."""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(IdConverter, "id")
