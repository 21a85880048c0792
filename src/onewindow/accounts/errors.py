"""Typed errors of accounts. Each carries a Chinese message for the user."""


class AccountsError(Exception):
    """Base: `message` is what the user reads; views and the API turn it into a 4xx."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class AuthorisationError(AccountsError):
    """An authorisation may not be granted, used or revoked as asked."""

    status = 422


class AuthorisationForbidden(AccountsError):
    status = 403
