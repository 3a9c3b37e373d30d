"""The upload form of an import."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from jiandu.imports.importers import check_size


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Excel 文件",
        help_text="按模板填写的 .xlsx 文件",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        # The size is known from the request before the file is read or parsed.
        refusal = check_size(upload.size)
        if refusal:
            raise ValidationError(refusal)
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError("请上传 .xlsx 文件（.xls 文件请先在 Excel 中另存为 .xlsx）")
        return upload
