"""The pure helpers of `make bench` (benchmarks/harness.py): wrk's output, rounds, ratios, the table."""

import pytest

from benchmarks.harness import (
    first_paint_report,
    first_paint_rows,
    markdown_table,
    paired_ratio,
    parse_wrk,
    script_summary,
    summarise,
    verdict,
)

WRK_OUTPUT = """Running 4s test @ http://127.0.0.1:8000/bench-floor/
  2 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
BENCH_JSON {"requests": 4000, "duration_us": 4000000, "p50_us": 1500, "p95_us": 5250, "mean_us": 1.9, "connect": 0, "read": 1, "write": 0, "status": 2, "timeout": 3}
"""


def test_parse_wrk_reads_the_done_line():
    run = parse_wrk(WRK_OUTPUT)
    assert run == {"requests": 4000, "rps": 1000.0, "p50_ms": 1.5, "p95_ms": 5.25, "errors": 6}


def test_parse_wrk_without_the_line_fails():
    with pytest.raises(ValueError):
        parse_wrk("Running 4s test\n  2 threads and 4 connections\n")


def run(p50, p95=10.0, rps=100.0, requests=400, errors=0):
    return {"p50_ms": p50, "p95_ms": p95, "rps": rps, "requests": requests, "errors": errors}


def test_summarise_takes_the_median_of_rounds_and_sums_counts():
    s = summarise([run(1.0, 5.0, 100.0, errors=1), run(3.0, 9.0, 300.0), run(2.0, 7.0, 200.0, errors=2)])
    assert (s["p50_ms"], s["p95_ms"], s["rps"]) == (2.0, 7.0, 200.0)
    assert (s["requests"], s["errors"], s["rounds"]) == (1200, 3, 3)
    assert summarise([]) == {}


def test_paired_ratio_compares_each_round_with_its_own_baseline():
    # Round 2 was slow for both (noise): the per-round ratios are 2, 2 and 4, so the median is 2 - where the
    # ratio of the medians of each side would be 6 / 3 = 2 only by luck.
    page = [run(4.0), run(40.0), run(8.0)]
    floor = [run(2.0), run(20.0), run(2.0)]
    assert paired_ratio(page, floor) == 2.0
    assert paired_ratio(page, [run(0.0)]) is None


def test_verdict():
    assert verdict(1.2, 1.3) == "met"
    assert verdict(1.31, 1.3) == "**not met**"
    assert verdict(1.0, 1.3, also=False) == "**not met**"
    assert verdict(None, 1.3) == "not measured"


def test_markdown_table_escapes_pipes():
    table = markdown_table(["a", "b"], [["x|y", 2]])
    assert table.splitlines() == ["| a | b |", "|---|---|", "| x\\|y | 2 |"]


def test_fmt_latency_shows_errors_only_when_there_are_some():
    from benchmarks.harness import fmt_latency

    assert fmt_latency(summarise([run(1.25, 3.0, 812.4)])) == "1.2 / 3.0 ms, 812 req/s"
    assert fmt_latency(summarise([run(1.0, errors=2)])).endswith(", 2 errors")
    assert fmt_latency({}) == "-"


def test_thousands_are_grouped_with_spaces():
    from benchmarks.harness import thousands

    assert (thousands(100_000), thousands(1000), thousands(999)) == ("100 000", "1 000", "999")


def test_a_script_result_reads_as_one_line_and_an_error_says_so():
    race = {
        "rounds": 100,
        "conflicts_detected": 99,
        "overlapping": 100,
        "single_winner": 99,
        "overwritten": 1,
        "log_mismatch": 0,
        "errors": 0,
        "latency": {"edit_post": {"median_ms": 18.2, "p95_ms": 25.4}},
    }
    line = script_summary("incident_race", race)
    assert line.startswith("99 of 100 conflicts detected") and "1 overwritten" in line and "18 / 25 ms" in line
    assert script_summary("faults", {"ok": False, "error": "no RESULT line"}) == "error: no RESULT line"


def paint(fp, html=20.0):
    return {"fp": fp, "fcp": fp, "html": html, "requests": 2, "bytes": 0}


def test_first_paint_rows_judge_the_median_against_the_targets():
    figures = {
        "pages": [
            {
                "key": "routine",
                "path": "/routines/r/",
                "runs": {
                    "cold": [paint(700), paint(1200), paint(900)],
                    "offline": [paint(250), paint(400), paint(310)],
                },
            },
            {"key": "login", "path": "/login/", "runs": {"cold": [paint(1500), paint(None)]}},
        ]
    }
    rows = first_paint_rows(figures)
    assert [r[0] for r in rows] == [
        "routine page (/routines/r/), cold visit",
        "routine page (/routines/r/), repeat visit, no network",
        "login page (links Bootstrap, for comparison) (/login/), cold visit",
    ]
    assert rows[0][1:] == ["900 ms (700-1200, 3 runs)", "20 ms (20-20, 3 runs)", "median <= 1000 ms", "met"]
    assert rows[1][1] == "310 ms (250-400, 3 runs)" and rows[1][4] == "**not met**"
    # A run without a paint entry does not count as a run; a page without a target is only reported.
    assert rows[2][1:] == ["1500 ms (1500-1500, 1 run)", "20 ms (20-20, 2 runs)", "(reported)", "-"]


def test_first_paint_rows_without_any_paint_say_not_measured():
    figures = {"pages": [{"key": "routine", "path": "/r/", "runs": {"offline": [paint(None)]}}]}
    assert first_paint_rows(figures)[0][1::3] == ["-", "not measured"]


def test_bench_report_says_when_first_paint_was_not_measured():
    assert first_paint_report(None)[-1] == "not measured in this run."
    assert first_paint_report({"error": "no Chromium at /x"})[-1] == "not measured: no Chromium at /x"
    figures = {
        "profile": "phone",
        "runs": 1,
        "load_before": 1.0,
        "load_min": 1.0,
        "load_max": 2.0,
        "pages": [{"key": "routine", "path": "/r/", "runs": {"offline": [paint(280)]}}],
    }
    table = first_paint_report(figures)[-1]
    assert "| routine page (/r/), repeat visit, no network | 280 ms (280-280, 1 run) |" in table
    assert table.rstrip().endswith("| median <= 300 ms | met |")
