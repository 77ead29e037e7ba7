"""Start-up paired against another checkout (issue 23, item 3): rounds of the minimal Textual
app, the other checkout's reader and this one's, alternating, so that a busy moment of the
machine hits all three. Each reader runs with its own checkout's venv (and so its code), the
probe is this checkout's for both.

    python -m bench.startup_pair --other /path/to/main-checkout --rounds 12 LIBRARY_DIR...
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def probe(checkout: Path, *args: str) -> dict:
    """One fresh process of this checkout's probe, with `checkout`'s venv (and code)."""
    script = str(HERE / "bench" / "reader_probe.py")
    out = subprocess.run(
        [str(checkout / ".venv" / "bin" / "python"), script, *args],
        cwd=checkout,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def pair(other: Path, library: str, rounds: int) -> dict:
    """Medians of `rounds` alternating runs; ratios against the minimal app's median."""
    runs: dict[str, list[dict]] = {"minimal": [], "other": [], "this": []}
    loads = [os.getloadavg()[0]]
    for _ in range(rounds):
        runs["minimal"].append(probe(HERE, "minimal"))
        runs["other"].append(probe(other, "reader", library))
        runs["this"].append(probe(HERE, "reader", library))
        loads.append(os.getloadavg()[0])
    med = {
        key: {field: statistics.median(r[field] for r in rs) for field in ("seconds", "cpu_s")}
        for key, rs in runs.items()
    }
    base = med["minimal"]
    return {
        "library": library,
        "rounds": rounds,
        "load_1min": [round(min(loads), 1), round(max(loads), 1)],
        **{
            key: {
                "cpu_s": round(m["cpu_s"], 3),
                "wall_s": round(m["seconds"], 3),
                "cpu_ratio": round(m["cpu_s"] / base["cpu_s"], 2),
                "wall_ratio": round(m["seconds"] / base["seconds"], 2),
            }
            for key, m in med.items()
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--other", type=Path, required=True, help="the checkout to compare")
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--out", type=Path, help="also write the results here (JSON)")
    parser.add_argument("libraries", nargs="+")
    args = parser.parse_args()
    results = []
    for library in args.libraries:
        result = pair(args.other.resolve(), library, args.rounds)
        print(json.dumps(result), flush=True)
        results.append(result)
    if args.out:
        args.out.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
