"""deploy/systemd/idcard-ocr.service: systemd accepts it (`systemd-analyze verify`, with
ExecStart pointed at this interpreter), and its stop timeout outlasts the longest request."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from idcard_ocr.settings import Settings

UNIT = Path(__file__).resolve().parents[2] / "deploy" / "systemd" / "idcard-ocr.service"
EXEC_START = "ExecStart=/opt/idcard-ocr/venv/bin/idcard-ocr serve"


def unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys keep their case
    parser.read_string(UNIT.read_text(encoding="utf-8"))
    return parser


def seconds(timespan: str) -> int:
    assert timespan.endswith("s") and timespan[:-1].isdigit(), timespan
    return int(timespan[:-1])


def test_systemd_verifies_the_unit(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.fail("systemd-analyze is missing: apt-get install systemd", pytrace=False)
    text = UNIT.read_text(encoding="utf-8")
    assert EXEC_START in text
    runnable = tmp_path / UNIT.name
    here = f"ExecStart={sys.executable} -m idcard_ocr.cli serve"
    runnable.write_text(text.replace(EXEC_START, here))
    done = subprocess.run(
        [analyze, "verify", str(runnable)], capture_output=True, text=True, timeout=60, check=False
    )
    assert (done.returncode, done.stderr) == (0, "")


def test_the_unit_stops_gracefully_and_restarts_on_failure() -> None:
    service = unit()["Service"]
    assert service["ExecStart"].endswith("idcard-ocr serve")
    assert service["EnvironmentFile"] == "/etc/idcard-ocr/idcard-ocr.env"
    assert service["Restart"] == "on-failure"
    assert service["KillSignal"] == "SIGTERM"
    defaults = Settings()
    longest_request = (
        defaults.body_read_timeout_seconds
        + defaults.fetch_timeout_seconds
        + defaults.item_timeout_seconds
    )
    assert seconds(service["TimeoutStopSec"]) > longest_request
    hardening = {"NoNewPrivileges": "yes", "ProtectSystem": "strict", "PrivateTmp": "yes"}
    assert {key: service[key] for key in hardening} == hardening
