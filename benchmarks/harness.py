"""Pure helpers of `make bench` (benchmarks/bench.py): the wrk script and its output, aggregating rounds,
ratios, targets and the Markdown table. No Django, no network: tests/tooling/test_bench_harness.py covers them."""

import json
import statistics

# wrk's done() hook prints one line the orchestrator parses; latencies are in microseconds.
WRK_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %.0f, "duration_us": %.0f, "p50_us": %.0f, "p95_us": %.0f, "mean_us": %.1f, '
    .. '"connect": %.0f, "read": %.0f, "write": %.0f, "status": %.0f, "timeout": %.0f}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def parse_wrk(stdout: str) -> dict:
    """The figures of one wrk run: requests, rps, p50/p95 in ms, errors (connection errors, non-2xx/3xx
    answers, timeouts)."""
    for line in reversed(stdout.splitlines()):
        if line.startswith("BENCH_JSON "):
            raw = json.loads(line[len("BENCH_JSON ") :])
            seconds = raw["duration_us"] / 1e6
            return {
                "requests": int(raw["requests"]),
                "rps": raw["requests"] / seconds if seconds else 0.0,
                "p50_ms": raw["p50_us"] / 1000,
                "p95_ms": raw["p95_us"] / 1000,
                "errors": int(sum(raw[k] for k in ("connect", "read", "write", "status", "timeout"))),
            }
    raise ValueError("no BENCH_JSON line in wrk's output")


def summarise(runs: list[dict]) -> dict:
    """Several rounds of one endpoint: the median of the rounds' medians and p95s, the mean rate, all
    requests and errors."""
    if not runs:
        return {}
    return {
        "p50_ms": statistics.median(r["p50_ms"] for r in runs),
        "p95_ms": statistics.median(r["p95_ms"] for r in runs),
        "rps": statistics.fmean(r["rps"] for r in runs),
        "requests": sum(r["requests"] for r in runs),
        "errors": sum(r["errors"] for r in runs),
        "rounds": len(runs),
    }


def paired_ratio(runs: list[dict], baseline: list[dict], key: str = "p50_ms") -> float | None:
    """The median over rounds of runs[i][key] / baseline[i][key]: each ratio compares two measurements taken
    back to back in the same round, so noise on the shared machine hits both alike."""
    pairs = [r[key] / b[key] for r, b in zip(runs, baseline) if b.get(key)]
    return statistics.median(pairs) if pairs else None


def verdict(ratio: float | None, limit: float, *, also: bool = True) -> str:
    if ratio is None:
        return "not measured"
    return "met" if ratio <= limit and also else "**not met**"


def fmt_latency(summary: dict) -> str:
    if not summary:
        return "-"
    text = f"{summary['p50_ms']:.1f} / {summary['p95_ms']:.1f} ms, {summary['rps']:.0f} req/s"
    return text + (f", {summary['errors']} errors" if summary.get("errors") else "")


def fmt_ratio(ratio: float | None) -> str:
    return "-" if ratio is None else f"{ratio:.2f}x"


def thousands(n: int) -> str:
    """1 000, as Norwegian and SI write it (a space, not a comma)."""
    return f"{n:,}".replace(",", " ")


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    def line(cells):
        return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"

    return "\n".join([line(header), "|" + "---|" * len(header), *(line(r) for r in rows)])


def script_summary(name: str, f: dict) -> str:
    """One readable line of a load or fault script's RESULT figures (the JSON itself is in latest.json)."""
    if "error" in f:
        return f"error: {f['error']}"
    lat = f.get("latency", {})

    def ms(kind: str) -> str:
        return f"{lat[kind]['median_ms']:.0f} / {lat[kind]['p95_ms']:.0f} ms" if kind in lat else "-"

    if name == "wizard_load":
        return (
            f"{thousands(f['requests'])} requests ({f['requests_per_second']}/s), {f['intakes']} intakes, "
            f"{thousands(f['acknowledged_saves'])} acknowledged saves, {thousands(f['answers_checked'])} answers "
            f"read back: {f['errors']} errors, {f['conflicts']} conflicts, {f['lost_answers']} lost; "
            f"autosave {ms('autosave')}, step save {ms('step_post')} (median / p95)"
        )
    if name == "incident_race":
        return (
            f"{f['conflicts_detected']} of {f['rounds']} conflicts detected ({f['overlapping']} rounds overlapping), "
            f"{f['single_winner']} single winners, {f['overwritten']} overwritten, {f['log_mismatch']} change-log "
            f"mismatches, {f['errors']} errors; save {ms('edit_post')}"
        )
    if name == "faults":
        idle, pg, kill = f.get("idle_connections_ended", {}), f.get("postgres_restart", {}), f.get("worker_kill", {})
        parts = []
        if idle:
            parts.append(f"idle pooled connections ended: {idle['failed']} of {idle['requests']} requests failed")
        if pg:
            failed = pg["failed_before_restart"] + pg["failed_during_outage"] + pg["failed_after_postgres_back"]
            parts.append(
                f"PostgreSQL down {pg['postgres_down_seconds']} s: {failed} of {thousands(pg['requests'])} requests "
                f"failed ({pg['unclean_failures']} uncleanly), health back {pg['health_recovered_seconds']} s after, "
                f"{pg['lost_answers']} lost, {pg['half_saved']} half-saved"
            )
        if kill:
            parts.append(
                f"{kill['kills']} workers killed ({kill['killed_inside_a_write_transaction']} inside a write "
                f"transaction), respawned within {kill['respawn_seconds_max']} s, {kill['half_saved']} half-saved, "
                f"{kill['lost_answers']} lost"
            )
        return "; ".join(parts)
    return ", ".join(f"{k}={v}" for k, v in f.items() if not isinstance(v, dict | list))


# The phone figures of issue 22 (benchmarks/first_paint.py): first paint in ms, and its target where there is one.
FIRST_PAINT_TARGETS = {("routine", "cold"): 1000.0, ("routine", "offline"): 300.0}
FIRST_PAINT_LABELS = {
    "routine": "routine page",
    "list": "routine list",
    "login": "login page (links Bootstrap, for comparison)",
}


def spread(values: list[float]) -> dict | None:
    """Median and range of some runs' figures (None when no run gave one)."""
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    return {"median": statistics.median(values), "min": values[0], "max": values[-1], "n": len(values)}


def fmt_spread(s: dict | None, unit: str = "ms") -> str:
    if not s:
        return "-"
    runs = "1 run" if s["n"] == 1 else f"{s['n']} runs"
    return f"{s['median']:.0f} {unit} ({s['min']:.0f}-{s['max']:.0f}, {runs})"


def first_paint_rows(figures: dict) -> list[list[str]]:
    """The table rows of first_paint.py's RESULT: one per page and phase, first paint median with its range,
    when the HTML was in, and the target with its verdict (on the median)."""
    rows = []
    for page in figures.get("pages", []):
        for phase in ("cold", "offline"):
            runs = page["runs"].get(phase)
            if not runs:
                continue
            fp = spread([r["fp"] for r in runs])
            html = spread([r["html"] for r in runs])
            target = FIRST_PAINT_TARGETS.get((page["key"], phase))
            if target is None:
                aim, result = "(reported)", "-"
            else:
                aim = f"median <= {target:.0f} ms"
                result = "not measured" if fp is None else ("met" if fp["median"] <= target else "**not met**")
            when = "cold visit" if phase == "cold" else "repeat visit, no network"
            label = f"{FIRST_PAINT_LABELS.get(page['key'], page['key'])} ({page['path']}), {when}"
            rows.append([label, fmt_spread(fp), fmt_spread(html), aim, result])
    return rows


def first_paint_report(figures: dict | None) -> list[str]:
    """The phone figures of issue 22 as lines of the report."""
    out = ["", "First paint on a phone (benchmarks/first_paint.py; Chromium, CDP throttling, the same server):", ""]
    if not figures:
        return out + ["not measured in this run."]
    if "error" in figures:
        return out + [f"not measured: {figures['error']}"]
    rows = first_paint_rows(figures)
    return out + [
        f"{figures['profile']}; {figures['runs']} run(s), median (range); load average (1 min) "
        f"{figures['load_before']:.2f} before, {figures['load_min']:.2f}-{figures['load_max']:.2f} during.",
        "",
        markdown_table(["page", "first paint", "HTML in", "target", "result"], rows),
    ]
