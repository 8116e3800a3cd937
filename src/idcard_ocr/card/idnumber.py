"""The 18-character citizen identity number of GB 11643: structure, check character, repair."""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
LENGTH = 18
EARLIEST_BIRTH = date(1900, 1, 1)
DIGITS = frozenset("0123456789")


@dataclass(frozen=True)
class IdNumberInfo:
    """What the number itself says: where it was first issued, birth date and sex."""

    region_code: str
    birth: date
    sex: str


def check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 digits."""
    if len(first17) != LENGTH - 1 or not set(first17) <= DIGITS:
        raise ValueError("check_char needs exactly 17 digits")
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def is_well_formed(number: str) -> bool:
    """17 digits then a digit or 'X': the shape, nothing more."""
    return (
        len(number) == LENGTH
        and set(number[:17]) <= DIGITS
        and (number[17] in DIGITS or number[17] == "X")
    )


def is_valid(number: str) -> bool:
    """Well formed and the check character is right."""
    return is_well_formed(number) and check_char(number[:17]) == number[17]


def parse(number: str, *, today: date | None = None) -> IdNumberInfo | None:
    """Region code, birth date and sex of a well-formed number (the check is not required).

    None when the shape is wrong or digits 7-14 are not a real date between 1900 and `today`
    (default: the current date).
    """
    if not is_well_formed(number):
        return None
    birth = birth_of(number[6:14])
    if birth is None or not EARLIEST_BIRTH <= birth <= (today or date.today()):
        return None
    return IdNumberInfo(number[:6], birth, "男" if int(number[16]) % 2 else "女")


def birth_of(digits: str) -> date | None:
    """The date of 8 digits `YYYYMMDD`, or None when it is not a real date."""
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


# --- repair ----------------------------------------------------------------------------------
Option = tuple[str, float, bool]  # character, probability, whether choosing it is a change


def repair(
    candidates: Sequence[Sequence[tuple[str, float]]],
    *,
    confident: float = 0.95,
    max_changes: int = 2,
    today: date | None = None,
) -> str | None:
    """The most probable valid number the recogniser's alternatives allow, or None.

    Principle: repair may only swap a character the recogniser itself doubted (top-1 below
    `confident`) for one of its own alternatives, at most `max_changes` of them, and only when
    the result is well formed, passes the check and has a real birth date. A confident digit
    is never touched, so a misread is fixed but another person's number is never invented;
    when no such string exists the caller keeps what was printed and flags it.

    `candidates[i]` lists position i's alternatives, best first, with probabilities; anything
    but 18 positions returns None. Candidate strings are tried best-first by probability.
    """
    if len(candidates) != LENGTH:
        return None
    options = [position_options(i, alts, confident) for i, alts in enumerate(candidates)]
    if any(not opts for opts in options):
        return None
    for number in best_first(options, max_changes):
        if is_valid(number) and parse(number, today=today) is not None:
            return number
    return None


def position_options(
    index: int, alternatives: Sequence[tuple[str, float]], confident: float
) -> list[Option]:
    """The characters position `index` may take, most probable first.

    A confident top-1 is the only option (even when it cannot be right: then nothing is
    valid). Characters that cannot stand at the position are dropped; 'x' counts as 'X'.
    """
    if not alternatives:
        return []
    top_char, top_prob = alternatives[0]
    allowed = DIGITS | {"X"} if index == LENGTH - 1 else DIGITS
    if top_prob >= confident:
        top = top_char.upper()
        return [(top, top_prob, False)] if top in allowed else []
    seen: set[str] = set()
    options: list[Option] = []
    for rank, (char, prob) in enumerate(alternatives):
        char = char.upper()
        if char in allowed and char not in seen and prob > 0:
            seen.add(char)
            options.append((char, prob, rank > 0))
    options.sort(key=lambda option: -option[1])
    return options


def best_first(options: list[list[Option]], max_changes: int) -> Iterator[str]:
    """Strings built from one option per position, in non-increasing probability order.

    A state picks an option index per position; its successors advance one index, which can
    only lower the probability, so popping a max-heap yields strings in order. States with
    more than `max_changes` changes are pruned: the reading as read is option 0 of each
    position (alternatives come best first), so advancing never removes a change.
    """
    logs = [[math.log(prob) for _, prob, _ in opts] for opts in options]
    start = (0,) * len(options)
    start_changes = sum(opts[0][2] for opts in options)
    if start_changes > max_changes:
        return
    heap = [(-sum(row[0] for row in logs), start, start_changes)]
    seen = {start}
    variable = [i for i, opts in enumerate(options) if len(opts) > 1]
    while heap:
        neg_score, state, used = heapq.heappop(heap)
        yield "".join(options[i][k][0] for i, k in enumerate(state))
        for i in variable:
            k = state[i]
            if k + 1 == len(options[i]):
                continue
            nxt_used = used - options[i][k][2] + options[i][k + 1][2]
            nxt = (*state[:i], k + 1, *state[i + 1 :])
            if nxt_used <= max_changes and nxt not in seen:
                seen.add(nxt)
                step = logs[i][k] - logs[i][k + 1]
                heapq.heappush(heap, (neg_score + step, nxt, nxt_used))
