"""Run every benchmark and print its figures: ``.venv/bin/python -m bench``.

Each one also runs alone (``python -m bench.photos``, ``python -m bench.load``, ...) with options.
"""

import subprocess
import sys

BENCHMARKS = (
    "bench.photos",
    "bench.photo_memory",
    "bench.lookup",
    "bench.risk_nearby",
    "bench.images",
    "bench.console",
    "bench.broadcast",
    "bench.load",
    "bench.webhook",
    "bench.camera",
)

if __name__ == "__main__":
    for name in BENCHMARKS:
        print(f"\n=== {name} ===", flush=True)
        subprocess.run([sys.executable, "-m", name], check=True)
