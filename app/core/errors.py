"""Errors the services raise; every message is Vietnamese and names the field it is about."""

from __future__ import annotations

from dataclasses import dataclass


class VanThuError(Exception):
    """Base class of every error the app reports to a user instead of crashing."""


@dataclass(frozen=True)
class FieldError:
    """One refusal: which field (code name and Vietnamese label) and why."""

    field: str
    label: str
    message: str

    def __str__(self) -> str:
        return f"{self.label}: {self.message}"


class ValidationError(VanThuError):
    """Input refused; carries every field error found so a form can show them all at once."""

    def __init__(self, errors: list[FieldError] | FieldError):
        self.errors: list[FieldError] = [errors] if isinstance(errors, FieldError) else list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))

    @classmethod
    def single(cls, field: str, label: str, message: str) -> ValidationError:
        return cls(FieldError(field, label, message))


class DuplicateError(VanThuError):
    """The same document (số/ký hiệu + issuer + date) is already in the register."""

    def __init__(self, message: str, existing: list[object]):
        self.existing = existing
        super().__init__(message)


class NotFoundError(VanThuError):
    """A document, book or other record the user named does not exist."""


class AccessDenied(VanThuError):
    """The signed-in user may not do this (role), or may not see this (clearance); nothing was read or written."""


class SignInRequired(AccessDenied):
    """The register has user accounts and nobody has signed in (or the name or password was wrong)."""
