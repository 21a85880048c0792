"""API schemas every app's router shares."""

from ninja import Field, Schema


class ErrorOut(Schema):
    """Every refusal of the API: a Chinese message a person can read."""

    detail: str = Field(..., description="中文错误说明")
