"""The committee draw as a pure, replayable function.

Given the recorded seed, the recorded candidates (with their specialities and cities) and the
recorded exclusions, anyone rebuilds the same committee: for each speciality in code order,
the eligible candidates are ordered by SHA-256("<seed>:<speciality>:<expert id>") and the first
ones are taken, skipping experts already drawn and cities whose venue seats are full.
No state outside the arguments, so a replay years later gives the same answer.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    expert_id: int
    specialities: tuple[str, ...]
    city: str


@dataclass(frozen=True)
class Drawn:
    expert_id: int
    speciality: str
    city: str


class Shortage(Exception):
    def __init__(self, speciality: str, wanted: int, found: int):
        super().__init__(f"{speciality}: wanted {wanted}, found {found}")
        self.speciality, self.wanted, self.found = speciality, wanted, found


def new_seed() -> str:
    return secrets.token_hex(16)


def ticket(seed: str, speciality: str, expert_id: int) -> str:
    return hashlib.sha256(f"{seed}:{speciality}:{expert_id}".encode()).hexdigest()


def draw(*, seed: str, needs: dict[str, int], candidates: list[Candidate],
         excluded: set[int], seats: dict[str, int]) -> list[Drawn]:
    """Draw `needs[speciality]` experts per speciality; `seats` maps a city to free seats.
    Raises `Shortage` when a speciality cannot be filled."""
    free = dict(seats)
    taken: set[int] = set(excluded)
    result: list[Drawn] = []
    for speciality in sorted(needs):
        wanted = needs[speciality]
        pool = [c for c in candidates if speciality in c.specialities]
        pool.sort(key=lambda c: ticket(seed, speciality, c.expert_id))
        found = 0
        for candidate in pool:
            if found == wanted:
                break
            if candidate.expert_id in taken or free.get(candidate.city, 0) <= 0:
                continue
            taken.add(candidate.expert_id)
            free[candidate.city] -= 1
            result.append(Drawn(candidate.expert_id, speciality, candidate.city))
            found += 1
        if found < wanted:
            raise Shortage(speciality, wanted, found)
    return result
