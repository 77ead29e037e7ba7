"""The JSON export of a big library: its time and peak memory, as a user runs it (issue 25.10).

    python -m bench.export --papers 50000      (a part of bench.run too)

An export streams the library a batch at a time (Library.each_paper), so its memory should
stay flat as the library grows: the target is <= 300 MB at 1,000,000 papers.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import generate
from bench.memory import run_measured

TARGET_MB = 300


def export_command(data_dir: Path, out: Path) -> list[str]:
    paperdeck = str(Path(sys.executable).with_name("paperdeck"))
    return [paperdeck, "--data-dir", str(data_dir), "export", "--format", "json", "-o", str(out)]


def bench_export(library_dir: Path, papers: int) -> dict:
    """`paperdeck export --format json -o FILE` of the whole library: its time unsampled,
    then its peak memory (PSS, sampled) from a second run, as bench_import measures."""
    out = library_dir.parent / "export.json"
    command = export_command(library_dir, out)
    start = time.perf_counter()
    subprocess.run(command, check=True, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    size_mb = out.stat().st_size / 2**20
    out.unlink()  # (the second run writes a new file too: export refuses to write over one)
    peak_mb = run_measured(command, stderr=subprocess.DEVNULL)[1]
    out.unlink()
    return {
        "papers": papers,
        "seconds": round(seconds, 1),
        "peak_memory_mb": round(peak_mb),
        "file_mb": round(size_mb),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--papers", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="paperdeck-export-bench-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus.txt"
        corpus.write_text(generate(args.papers), "utf-8")
        paperdeck = str(Path(sys.executable).with_name("paperdeck"))
        library = work / "paperdeck"
        command = [paperdeck, "--data-dir", str(library), "import", str(corpus)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        result = bench_export(library, args.papers)
    print(
        f"json export of {result['papers']:,} papers: {result['seconds']} s,"
        f" peak {result['peak_memory_mb']} MB (target <= {TARGET_MB} MB at 1,000,000),"
        f" file {result['file_mb']} MB"
    )


if __name__ == "__main__":
    main()
