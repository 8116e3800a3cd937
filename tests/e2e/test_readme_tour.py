"""The README's five-minute tour, run as written in an empty directory: every command of its
bash blocks, every Python block against the `idcard-ocr serve` it starts, and every output it
shows compared with what really came out, so the tour cannot rot unnoticed."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from serve_process import ServeProcess, clean_environment

pytestmark = pytest.mark.model
README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = "## A five-minute tour"
SERVE = "idcard-ocr serve"
SHOWN_HOST = "127.0.0.1:8080"
TIMEOUT = 60.0


def tour_blocks() -> list[tuple[str, str]]:
    """The fenced blocks of the tour section, as (language, body), in order."""
    text = README.read_text(encoding="utf-8")
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^```(\w+)\n(.*?)^```$", section, flags=re.DOTALL | re.MULTILINE)


def test_the_readme_tour_runs_as_written(tmp_path: Path) -> None:
    blocks = tour_blocks()
    assert [language for language, _ in blocks].count("python") == 2
    environment = _clean_environment()
    port: int | None = None
    with _Tour(tmp_path, environment) as tour:
        for (language, body), (after, text) in zip(blocks, [*blocks[1:], ("", "")], strict=True):
            shown = text if after == "text" else None
            if language == "bash" and body.strip() == SERVE:
                output, port = tour.serve()
                _assert_credential_shape(shown or "", output)
            elif language == "bash":
                output = "".join(tour.shell(line) for line in body.splitlines())
                _assert_shown(shown, output)
            elif language == "python":
                assert port is not None, "the tour runs Python before starting the service"
                code = body.replace(SHOWN_HOST, f"127.0.0.1:{port}")
                _assert_shown(shown, tour.python(code))


class _Tour:
    """An empty directory, the commands run in it, and the server started there."""

    def __init__(self, directory: Path, environment: dict[str, str]) -> None:
        self._directory = directory
        self._environment = environment
        self._server: ServeProcess | None = None

    def serve(self) -> tuple[str, int]:
        """Start `idcard-ocr serve` on a free port; what it printed up to ready, and the port."""
        self._server = ServeProcess(self._directory, self._environment, command=SERVE.split())
        self._server.started()
        return self._server.printed(until="}"), self._server.port  # the first credential

    def shell(self, line: str) -> str:
        return self._run(["bash", "-c", line])

    def python(self, code: str) -> str:
        return self._run([sys.executable, "-c", code])

    def _run(self, command: list[str]) -> str:
        done = subprocess.run(
            command,
            cwd=self._directory,
            env=self._environment,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
        assert done.returncode == 0, f"{command[-1]}\n{done.stderr}"
        return done.stdout

    def __enter__(self) -> _Tour:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._server is not None:
            self._server.stop()


def _clean_environment() -> dict[str, str]:
    """No settings or proxies from the caller's environment; the scripts beside our Python."""
    environment = clean_environment()
    scripts = str(Path(sys.executable).parent)
    environment["PATH"] = os.pathsep.join([scripts, environment.get("PATH", "")])
    return environment


def _assert_credential_shape(shown: str, printed: str) -> None:
    """The printed first credential has the fields the README shows, whose secret is hidden."""
    shown_credential = json.loads(shown[shown.index("{") : shown.index("}") + 1])
    printed_credential = json.loads(printed[printed.index("{") : printed.index("}") + 1])
    assert shown_credential.keys() == printed_credential.keys()
    assert shown_credential["secret_key"] == "<secret_key>"


def _assert_shown(shown: str | None, output: str) -> None:
    """Each shown line is a line of the output; one ending in … is the start of one.

    Months are compared as YYYY-MM: the tour's usage table shows the month it was run in.
    """
    if shown is None:
        return
    actual = [_month_free(line).rstrip() for line in output.splitlines()]
    for line in shown.splitlines():
        expected = _month_free(line).rstrip()
        if expected.endswith("…"):
            assert any(a.startswith(expected.removesuffix("…")) for a in actual), line
        else:
            assert expected in actual, line


def _month_free(line: str) -> str:
    return re.sub(r"^\d{4}-\d{2}\b", "YYYY-MM", line)
