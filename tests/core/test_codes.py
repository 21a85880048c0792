import itertools
from collections import Counter

from onewindow.core import codes


def test_a_code_has_its_length_in_readable_characters():
    code = codes.readable_code(16)
    assert len(code) == 16
    assert set(code) <= set(codes.READABLE)
    assert not set(code) & set("01OIL")


def test_every_character_is_equally_likely(monkeypatch):
    """Fed every byte value in turn, each character comes out equally often: the bytes that
    would favour the alphabet's first characters (248 to 255 for 31 characters) are dropped."""
    stream = itertools.cycle(range(256))
    monkeypatch.setattr(codes.secrets, "token_bytes",
                        lambda n: bytes(next(stream) for _ in range(n)))
    counts = Counter(codes.readable_code(31 * 8 * 10))
    assert set(counts) == set(codes.READABLE)
    assert set(counts.values()) == {8 * 10}


def test_an_alphabet_of_its_own():
    assert set(codes.readable_code(40, alphabet="AB")) == {"A", "B"}
