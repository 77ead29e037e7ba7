"""The bench's table: one block of rows per part, printed as each part ends."""

from __future__ import annotations


def rows_import(imp: dict) -> list[str]:
    return [
        _row(
            "import, papers/s",
            imp["paperdeck_papers_per_s"],
            imp["fts5_papers_per_s"],
            imp.get("tantivy_papers_per_s"),
        )
        + "  (target >= 0.1x FTS5)",
        f"{'import peak memory (with workers), MB':34} {imp['peak_memory_mb']:>14,}"
        + f"{'':24}(target <= 1,000)",
        _row("index size, MB", imp["index_mb"], imp["fts5_mb"], imp.get("tantivy_mb"))
        + "  (target <= 1x FTS5)",
    ]


def rows_search(q: dict) -> list[str]:
    lines = []
    targets = (
        ("queries", "p95 <= 1.5x FTS5, <= 3x Tantivy"),
        ("typing", "p95 <= 1x FTS5, <= 3x Tantivy, <= 150; max <= 500"),
    )
    for kind, target in targets:
        for stat in ("p50_ms", "p95_ms", "max_ms"):
            ours, theirs = q[kind]["paperdeck"][stat], q[kind]["fts5"][stat]
            fast = q[kind].get("tantivy", {}).get(stat)
            lines.append(
                _row(f"{kind} {stat}", ours, theirs, fast) + f"  ({target})" * (stat == "p95_ms")
            )
    rounds = (
        f"; search times are each call's median of {q['rounds']} rounds" if "rounds" in q else ""
    )
    return [*lines, f"slowest keystroke: {q['slowest_keystroke']!r}{rounds}"]


def rows_for_you(fy: dict) -> list[str]:
    return [
        f"{'for you: rank after a mark, p50/max ms':34} "
        f"{fy['after_a_mark']['p50_ms']:>9} / {fy['after_a_mark']['max_ms']}  (target <= 1,000)",
        f"{'for you: first ranking (terms read), s':34} {fy['first_ranking_s']:>14}",
    ]


def rows_similar(sim: dict) -> list[str]:
    s = sim["similar"]
    return [f"{'similar papers p50/max ms':34} {s['p50_ms']:>9} / {s['max_ms']}  (target <= 1,000)"]


def rows_export(ex: dict) -> list[str]:
    return [
        f"{'json export of the library, s':34} {ex['seconds']:>14}",
        f"{'json export peak memory, MB':34} {ex['peak_memory_mb']:>14,}"
        + f"{'':24}(target <= 300 at 1,000,000)",
    ]


def rows_reimport(re: dict) -> list[str]:
    return [
        f"{'re-import, 1% of lines changed, s':34} {re['seconds']:>14}"
        f"  ({re['ratio']}x the first import's {re['first_import_s']} s; target <= 0.1x)"
    ]


def rows_incremental(inc: dict) -> list[str]:
    return [
        f"{'100 papers into big / into empty':34} {inc['ratio']:>14}x"
        f"  ({inc['into_big_s']} s / {inc['into_empty_s']} s; target <= 3x)"
    ]


def rows_startup(st: dict) -> list[str]:
    return [
        _row("start-up to first rows, s", st["reader_first_rows_s"], st["minimal_app_s"])
        + "  (vs minimal Textual app; target <= 1.3x)",
        f"{'reader peak RSS, MB':34} {st['reader_peak_rss_mb']:>14}{'':24}(target <= 200)",
    ]


def rows_list_pane(lp: dict) -> list[str]:
    return [
        f"{'list pane ' + str(lp['rows']) + ' rows, render ms':34} {lp['first_render_ms']:>14}"
        + f"  (100 rows: {lp['first_render_100_rows_ms']})",
        f"{'list pane extra memory, MB':34} {lp['extra_mb']:>14}",
    ]


def rows_cli(cli: dict) -> list[str]:
    """Each short command's whole process beside `python -c pass` (bench/cli.py)."""
    from bench.cli import TARGETS_MS

    lines = [
        f"{'CLI, whole process, median ms':34} {'command':>14} {'python -c pass':>14}"
        f" {'ratio':>8} {'over pass':>12}  ({cli['runs']} runs each, load"
        f" {cli['loadavg_1min'][0]} -> {cli['loadavg_1min'][1]})"
    ]
    for name, row in cli["commands"].items():
        target = f"  (target <= {TARGETS_MS[name]})" if name in TARGETS_MS else ""
        lines.append(
            _row(f"  paperdeck {name}", row["ms"], cli["python_pass_ms"])
            + f" {row['over_pass_ms']:>12}{target}"
        )
    return lines


def rows_load(load: dict) -> list[str]:
    return [
        f"load: 1-min average {load['loadavg_1min_mean']} (max {load['loadavg_1min_max']}) on"
        f" {load['cores']} cores; other processes used {load['other_processes_cores_mean']}"
        f" cores on average (max {load['other_processes_cores_max']})"
    ]


SECTIONS = {
    "import": rows_import,
    "search": rows_search,
    "for_you": rows_for_you,
    "similar": rows_similar,
    "export": rows_export,
    "incremental": rows_incremental,
    "reimport": rows_reimport,
    "startup": rows_startup,
    "list_pane": rows_list_pane,
    "cli": rows_cli,
    "load": rows_load,
}


def header(result: dict) -> list[str]:
    return [
        f"paperdeck vs SQLite FTS5 and Tantivy, {result['papers']:,} papers,"
        f" {result['corpus']['format']} corpus ({result['machine']['cpu']})",
        "",
        f"{'':34} {'paperdeck':>14} {'FTS5':>14} {'ratio':>8} {'Tantivy':>12} {'ratio':>8}",
    ]


def print_table(result: dict) -> None:
    lines = header(result)
    for key, rows in SECTIONS.items():
        part = result.get(key)
        if part is None:
            continue
        lines += [f"{key}: FAILED: {part['failed']}"] if "failed" in part else rows(part)
    print("\n".join(lines), flush=True)


def _row(label: str, ours: float, theirs: float, fast: float | None = None) -> str:
    """paperdeck, FTS5 and their ratio; then Tantivy and paperdeck/Tantivy, when measured
    (results from before Tantivy joined the bench have no such column)."""
    line = f"{label:34} {ours:>14,} {theirs:>14,} {_ratio(ours, theirs):>7.2f}x"
    return line if fast is None else line + f" {fast:>12,} {_ratio(ours, fast):>7.2f}x"


def _ratio(ours: float, theirs: float) -> float:
    return ours / theirs if theirs else float("inf")
