"""Limit/offset paging shared by every list endpoint."""

from typing import Any

from django.db import models
from ninja import Schema
from pydantic import Field

MAX_LIMIT = 200
# Far beyond any list, and far within what SQL's OFFSET takes (a 64-bit integer).
MAX_OFFSET = 10**9


class Paging(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def page(queryset: models.QuerySet[Any], paging: Paging) -> tuple[int, list[Any], int, int]:
    """(total count, the rows of the page, limit, offset)."""
    limit, offset = paging.limit, paging.offset
    return queryset.count(), list(queryset[offset : offset + limit]), limit, offset
