"""Limit/offset paging shared by every list endpoint."""

from typing import Any

from django.db import models
from ninja import Schema

MAX_LIMIT = 200


class Paging(Schema):
    limit: int = 50
    offset: int = 0


def page(queryset: models.QuerySet[Any], paging: Paging) -> tuple[int, list[Any], int, int]:
    """(total count, the rows of the page, limit, offset), the limit kept within 1..200."""
    limit = max(1, min(paging.limit, MAX_LIMIT))
    offset = max(0, paging.offset)
    return queryset.count(), list(queryset[offset : offset + limit]), limit, offset
