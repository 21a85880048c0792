"""Random codes that people read and type: query codes, document verify codes."""

from __future__ import annotations

import secrets

# Printed on receipts and under QR codes, and typed by people: no 0/O, 1/I/L.
READABLE = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def readable_code(length: int, alphabet: str = READABLE) -> str:
    """`length` characters, each drawn uniformly from `alphabet` (at most 256 characters).

    The system's randomness is read once for the whole code (`secrets.choice` reads it once
    per character: 16 reads for a verify code). A byte at or above the largest multiple of the
    alphabet's size is dropped, so that no character comes up more often than another."""
    size = len(alphabet)
    limit = 256 - 256 % size
    chars: list[str] = []
    while len(chars) < length:
        chars.extend(alphabet[b % size] for b in secrets.token_bytes(length) if b < limit)
    return "".join(chars[:length])
