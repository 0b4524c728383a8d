"""First paint of a routine page on a slow phone, cold and offline (issue 22).

Drives Chromium (Debian's, as the browser tests) through Playwright against a running server, with the phone
profile of issue 22: a 390x844 mobile viewport, the CPU slowed down 4x and the network throttled to
400 kbit/s each way with a 400 ms round trip (Chrome DevTools Protocol: Emulation.setCPUThrottlingRate and
Network.emulateNetworkConditions). For each page, in every run:

- **cold**: a new browser profile (no cache, no service worker) opens the page: first paint and first
  contentful paint (the browser's own ``paint`` entries), when the HTML had arrived (responseEnd), the
  number of requests and bytes before the load event;
- **offline** (repeat visit; routine pages only): the same profile, after that one visit and once the service
  worker has saved the page, with the network switched off, opens the page again in a new tab.

The pages take turns within each run, so noise on a shared machine hits them alike. It prints the median and
range of the runs, with the targets (cold <= 1 000 ms, offline <= 300 ms for the routine page), and with
``--json`` a last line ``RESULT {json}`` for `make bench` (benchmarks/bench.py runs it against its server).
On its own, against a production-like server (DJANGO_DEBUG=0, collectstatic, gunicorn):

    .venv/bin/python benchmarks/first_paint.py --base-url http://127.0.0.1:8000 --runs 5

The figures and the machine are in docs/performance.md ("First paint on a phone").
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import first_paint_rows, markdown_table

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 3}
NETWORK = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}
CPU_SLOWDOWN = 4
PROFILE = "phone 390x844, CPU 4x slower, 400 kbit/s each way, 400 ms round trip (cold); network off (offline)"

PAINTS = """() => {
  const paints = Object.fromEntries(performance.getEntriesByType('paint').map(e => [e.name, e.startTime]));
  const nav = performance.getEntriesByType('navigation')[0];
  const resources = performance.getEntriesByType('resource');
  return {
    fp: paints['first-paint'] ?? null,
    fcp: paints['first-contentful-paint'] ?? null,
    html: nav ? nav.responseEnd : null,
    requests: 1 + resources.length,
    bytes: (nav ? nav.transferSize : 0) + resources.reduce((sum, r) => sum + (r.transferSize || 0), 0),
  };
}"""


def throttle(context, page, *, network: bool) -> None:
    session = context.new_cdp_session(page)
    session.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    if network:
        session.send("Network.enable")
        session.send("Network.emulateNetworkConditions", NETWORK)


def wait_for_paint(page) -> dict:
    # A function, not an expression: Playwright evaluates an expression with eval, which the CSP forbids.
    page.wait_for_function("() => performance.getEntriesByName('first-contentful-paint').length > 0", timeout=30_000)
    return page.evaluate(PAINTS)


def measure(browser, base_url: str, path: str, *, offline_repeat: bool) -> dict:
    context = browser.new_context(base_url=base_url, service_workers="allow", **PHONE)
    try:
        page = context.new_page()
        throttle(context, page, network=True)
        page.goto(path, wait_until="load", timeout=60_000)
        result = {"cold": wait_for_paint(page)}
        if offline_repeat:
            # Wait until the service worker has saved this page, then go offline and open it again.
            page.evaluate("navigator.serviceWorker.ready.then(() => true)")
            deadline = time.monotonic() + 60
            while not page.evaluate("caches.match(location.href).then(r => !!r)"):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the service worker did not save {path} within 60 s")
                time.sleep(0.25)
            context.set_offline(True)
            repeat = context.new_page()
            throttle(context, repeat, network=False)
            repeat.goto(path, wait_until="load", timeout=60_000)
            result["offline"] = wait_for_paint(repeat)
        return result
    finally:
        context.close()


def loadavg() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def run(base_url: str, *, runs: int, routine: str, chromium: str) -> dict:
    """Every page, ``runs`` times, the pages taking turns; the raw figures of each run and the load average."""
    pages = [
        {"key": "routine", "path": f"/routines/{routine}/", "offline": True},
        {"key": "list", "path": "/routines/", "offline": True},
        {"key": "login", "path": "/login/", "offline": False},
    ]
    for page in pages:
        page["runs"] = {"cold": [], "offline": []} if page["offline"] else {"cold": []}
    loads = [loadavg()]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            for _ in range(runs):
                for page in pages:
                    result = measure(browser, base_url, page["path"], offline_repeat=page["offline"])
                    for phase, figures in result.items():
                        page["runs"][phase].append(figures)
                loads.append(loadavg())
        finally:
            browser.close()
    return {
        "profile": PROFILE,
        "runs": runs,
        "pages": [{k: v for k, v in page.items() if k != "offline"} for page in pages],
        "load_before": loads[0],
        "load_min": min(loads),
        "load_max": max(loads),
    }


def report(figures: dict) -> str:
    return "\n".join(
        [
            f"First paint, {figures['profile']}; {figures['runs']} run(s), median (range); load average (1 min) "
            f"{figures['load_before']:.2f} before, {figures['load_min']:.2f}-{figures['load_max']:.2f} during.",
            "",
            markdown_table(["page", "first paint", "HTML in", "target", "result"], first_paint_rows(figures)),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--routine", default="vold-og-trusler")
    parser.add_argument("--chromium", default=CHROMIUM)
    parser.add_argument("--json", action="store_true", help="end with a line RESULT {json} (for bench.py)")
    args = parser.parse_args()
    figures = run(args.base_url, runs=args.runs, routine=args.routine, chromium=args.chromium)
    print(report(figures))
    if args.json:
        print("RESULT " + json.dumps(figures))


if __name__ == "__main__":
    main()
