"""An index world: the standard test world (市财政局, 市民政局 under the city, 红云街道
under 五华区) with the shipped tree, and a helper storing a department's reported values
as an upload would."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile

from jiandu.ecoindex.choices import LeafSource
from jiandu.ecoindex.models import IndexTree, IndexUpload, IndexValue
from jiandu.testing import build_world


@pytest.fixture
def world(db):
    return build_world()


def report_all(
    *, actor: Any, month: str, orgs: list[Any], overrides: dict[tuple[int, str], Any] | None = None,
    default: Any = 0, skip: set[tuple[int, str]] | None = None,
) -> None:  # fmt: skip
    """Every reported leaf of every given unit: ``default`` (0 counts, 100 % rates unless
    ``overrides`` says otherwise), one upload per department."""
    tree = IndexTree.objects.filter(effective_from__lte=month).order_by("-effective_from").first()
    overrides = overrides or {}
    skip = skip or set()
    by_department: dict[str, list] = {}
    for leaf in tree.nodes.filter(source=LeafSource.REPORTED):
        by_department.setdefault(leaf.department, []).append(leaf)
    for department, leaves in by_department.items():
        upload = IndexUpload(
            tree=tree, month=month, department=department, original_name="t.xlsx", size=1,
            sha256="0" * 64, rows=len(orgs), uploaded_by=actor,
        )  # fmt: skip
        upload.file.save("t.xlsx", ContentFile(b"x"), save=False)
        upload.save()
        values = []
        for org in orgs:
            for leaf in leaves:
                if (org.pk, leaf.key) in skip:
                    continue
                value = overrides.get((org.pk, leaf.key))
                if value is None:
                    value = 100 if leaf.unit == "%" else default
                values.append(IndexValue(upload=upload, month=month, org=org, leaf=leaf.key,
                                         value=Decimal(value), row_number=2))  # fmt: skip
        IndexValue.objects.bulk_create(values)
