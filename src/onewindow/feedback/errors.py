"""Typed errors of ratings and rectifications. Each carries a Chinese message for the user."""


class FeedbackError(Exception):
    """Base: `message` is what the user reads; views and the API turn it into a 4xx."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class RatingError(FeedbackError):
    """The rating is not allowed (period over, bad level, nothing to rate)."""

    status = 422


class RectificationError(FeedbackError):
    """Missing or wrong input for an allowed rectification step."""

    status = 422


class IllegalMove(FeedbackError):
    """The step is not allowed from the task's current state (someone else may have acted)."""

    status = 409


class Forbidden(FeedbackError):
    status = 403


class SurveyImportError(FeedbackError):
    """A survey workbook was rejected as a whole; `errors` lists every row's problem."""

    def __init__(self, message: str, errors: list[str] | None = None):
        super().__init__(message)
        self.errors = errors or []
