"""The onnxruntime sessions the engine runs: how they hold memory and threads."""

from __future__ import annotations

import pytest

from idcard_ocr.ocr.models import OcrModels, make_session

pytestmark = pytest.mark.model


def test_sessions_give_memory_back_and_keep_to_their_threads() -> None:
    session = make_session(OcrModels.installed().detector, threads=2)
    options = session.get_session_options()
    assert not options.enable_cpu_mem_arena  # photos of many sizes fragmented the arena
    assert not options.enable_mem_pattern
    assert options.intra_op_num_threads == 2
