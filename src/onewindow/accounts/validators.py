"""Identity codes, checked with python-stdnum (never a hand-written checksum)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError


def clean_uscc(value: str) -> str:
    """Return the compact 统一社会信用代码 or raise a ValidationError in Chinese."""
    try:
        return uscc.validate(value)
    except StdnumError:
        raise ValidationError(
            _("统一社会信用代码“%(value)s”无效：应为18位且校验位正确"),
            code="invalid_uscc",
            params={"value": value},
        ) from None


def clean_ric(value: str) -> str:
    """Return the compact 身份证号 or raise a ValidationError in Chinese."""
    try:
        return ric.validate(value)
    except StdnumError:
        raise ValidationError(
            _("身份证号无效：应为18位，出生日期和校验位须正确"), code="invalid_ric"
        ) from None


def validate_uscc(value: str) -> None:
    clean_uscc(value)


def validate_ric(value: str) -> None:
    clean_ric(value)


def mask_ric(value: str) -> str:
    """Show the first 4 and last 4 characters: 3701**********123X."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]
