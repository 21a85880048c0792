"""Signatures on the evaluation report, behind a `Signer` interface.

The default backend is Ed25519 (`cryptography`). An SM2 backend issued by a licensed CA can plug
in by implementing `Signer` and registering a verifier under its algorithm name.
What is signed is the canonical JSON of the report (`canonical_json`): keys sorted, no spaces,
UTF-8, decimals as strings, so that any party can rebuild the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

ED25519 = "ed25519"


class Signer(Protocol):
    algorithm: str

    def public_key(self) -> str:
        """The public key, Base64."""

    def sign(self, data: bytes) -> str:
        """The signature of `data`, Base64."""


class Ed25519Signer:
    algorithm = ED25519

    def __init__(self, private_key: Ed25519PrivateKey):
        self._key = private_key

    @classmethod
    def generate(cls) -> Ed25519Signer:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_private_b64(cls, value: str) -> Ed25519Signer:
        return cls(Ed25519PrivateKey.from_private_bytes(base64.b64decode(value)))

    def private_b64(self) -> str:
        raw = self._key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return base64.b64encode(raw).decode()

    def public_key(self) -> str:
        raw = self._key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return base64.b64encode(raw).decode()

    def sign(self, data: bytes) -> str:
        return base64.b64encode(self._key.sign(data)).decode()


def _verify_ed25519(public_key: str, data: bytes, signature: str) -> bool:
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key))
        key.verify(base64.b64decode(signature), data)
    except (InvalidSignature, ValueError):
        return False
    return True


VERIFIERS: dict[str, Callable[[str, bytes, str], bool]] = {ED25519: _verify_ed25519}


def verify(*, algorithm: str, public_key: str, data: bytes, signature: str) -> bool:
    verifier = VERIFIERS.get(algorithm)
    return verifier is not None and verifier(public_key, data, signature)


def _default(value):
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"not canonical JSON: {type(value).__name__}")


def canonical_json(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=_default).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sm3_hex(data: bytes) -> str:
    """SM3 (GB/T 32905), the digest an SM2 backend signs over; the report itself uses SHA-256."""
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def member_statement(*, digest: str, kind: str, reasons: str) -> bytes:
    """What a member signs: the report's digest, agreement or dissent, and the reasons."""
    return canonical_json({"report": digest, "kind": kind, "reasons": reasons})


def countersign_statement(*, digest: str, signatures: list[str]) -> bytes:
    """What the main venue signs: the report's digest and every member signature."""
    return canonical_json({"report": digest, "signatures": sorted(signatures)})
