"""`idcard-ocr bench reject`: photos the engine must refuse with -5107, never read.

Four kinds: the other side of a card than the one asked for, and three things that are not
ID cards (`synth.negatives`: a printed page, a bank-card-like card, a receipt). Each photo is
written to disk and read by the engine in a process of its own, as `bench accuracy` does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqdm import tqdm

from idcard_ocr.bench.accuracy import Outcome, read_with_engine
from idcard_ocr.bench.dataset import LabelledImage
from idcard_ocr.bench.scoring import percentiles
from idcard_ocr.card.model import Side
from idcard_ocr.errors import NotAnIdCard
from idcard_ocr.synth.negatives import NEGATIVE_KINDS, render_negative
from idcard_ocr.synth.sample import Difficulty, render_sample

OTHER_SIDE = "other_side"
KINDS: tuple[str, ...] = (OTHER_SIDE, *NEGATIVE_KINDS)
CARD_DIFFICULTY: Difficulty = "photo"  # the cards shown for the other side are photographed


@dataclass(frozen=True)
class Photo:
    """One photo to refuse, and the side it is sent as."""

    data: bytes
    extension: str
    asked: Side


def render(kind: str, seed: int, index: int) -> Photo:
    """Photo `index` of a kind. Cards alternate sides and are asked for the other; things
    that are not cards are asked for as front and back in turn."""
    if kind == OTHER_SIDE:
        card = render_sample(seed, index, CARD_DIFFICULTY)
        return Photo(card.data, card.extension, card.side.other)
    negative = render_negative(kind, seed, index)
    return Photo(negative.data, negative.extension, Side(index % 2))


def write_kind(
    directory: Path, kind: str, n: int, seed: int, progress: bool = True
) -> list[LabelledImage]:
    """Render `n` photos of a kind into `directory`, each with the side it is to be sent as."""
    directory.mkdir(parents=True, exist_ok=True)
    images = []
    for index in tqdm(range(n), desc=f"render {kind}", disable=not progress, leave=False):
        photo = render(kind, seed, index)
        path = directory / f"{index:05d}{photo.extension}"
        path.write_bytes(photo.data)
        images.append(LabelledImage(path, photo.asked, {}, 0, kind))
    return images


def tally(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """One kind's answers: the share refused as not an ID card, every other code's count
    (0, answered as if read, included)."""
    codes = Counter(outcome.code for outcome in outcomes)
    refused = codes.pop(NotAnIdCard.code, 0)
    return {
        "n": len(outcomes),
        "not_an_id_card": refused,
        "not_an_id_card_share": refused / len(outcomes) if outcomes else None,
        "other_codes": {str(code): count for code, count in sorted(codes.items())},
        "latency_ms": percentiles([outcome.ms for outcome in outcomes]),
    }


def run(
    sets: Mapping[str, Sequence[LabelledImage]], threads: int, progress: bool = True
) -> dict[str, Any]:
    """Every kind's photos through one engine, in a process of its own; a tally per kind."""
    images = [image for kind in sets for image in sets[kind]]
    engine = read_with_engine(images, threads, 1, progress)
    kinds: dict[str, Any] = {}
    start = 0
    for kind, photos in sets.items():
        kinds[kind] = tally(engine.outcomes[start : start + len(photos)])
        start += len(photos)
    return {
        "threads": threads,
        "model_load_s": engine.model_load_s,
        "peak_rss_mb": engine.peak_rss_mb,
        "kinds": kinds,
    }


def table(report: dict[str, Any]) -> str:
    """One row per kind: the share refused as not an ID card, the count answered (code 0),
    every other code's count, and the median latency."""
    head = f"{'kind':12}{'N':>6}{'-5107':>10}{'code 0':>8}  {'other codes (code:count)':26}"
    lines = [head + f"{'p50 ms':>8}", "-" * (len(head) + 8)]
    lines += [_row(kind, row) for kind, row in report["kinds"].items()]
    lines.append(
        f"model load {report['model_load_s']:.2f} s; engine peak RSS "
        f"{report['peak_rss_mb']:.0f} MB (its own process); onnxruntime threads "
        f"{report['threads']}; each photo read once"
    )
    return "\n".join(lines)


def _row(kind: str, row: dict[str, Any]) -> str:
    codes: dict[str, int] = row["other_codes"]
    share = row["not_an_id_card_share"]
    refused = "-" if share is None else f"{100 * share:.1f} %"
    others = " ".join(f"{code}:{n}" for code, n in codes.items() if code != "0") or "-"
    p50 = row["latency_ms"]["p50"]
    latency = "-" if p50 is None else f"{p50:.0f}"
    return f"{kind:12}{row['n']:>6}{refused:>10}{codes.get('0', 0):>8}  {others:26}{latency:>8}"
