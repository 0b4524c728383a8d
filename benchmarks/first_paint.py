"""First paint of a routine page on a slow phone, cold and offline (issue 22).

Drives Chromium (Debian's, as the browser tests) through Playwright against a running server, with the phone
profile of issue 22: a 390x844 mobile viewport, the CPU slowed down 4x and the network throttled to
400 kbit/s each way with a 400 ms round trip (Chrome DevTools Protocol: Emulation.setCPUThrottlingRate and
Network.emulateNetworkConditions). For each page it reports, as the median over ``--runs`` runs:

- **cold**: a new browser profile (no cache, no service worker) opens the page: first paint and first
  contentful paint (the browser's own ``paint`` entries), when the HTML had arrived (responseEnd), the
  number of requests and bytes before the load event;
- **offline repeat** (routine pages only): the same profile, after that one visit and once the service worker
  has saved the page, with the network switched off, opens the page again.

The routine page is compared with a page that still links Bootstrap (the login page), measured the same way
in the same run. Run it against a production-like server (DJANGO_DEBUG=0, collectstatic, gunicorn):

    .venv/bin/python benchmarks/first_paint.py --base-url http://127.0.0.1:8000 --runs 5

The figures and the machine are in docs/performance.md ("First paint on a phone").
"""

import argparse
import statistics
import time

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 3}
NETWORK = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}
CPU_SLOWDOWN = 4

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
    page.wait_for_function("performance.getEntriesByName('first-contentful-paint').length > 0", timeout=30_000)
    return page.evaluate(PAINTS)


def measure(browser, base_url: str, path: str, *, offline_repeat: bool) -> dict:
    context = browser.new_context(base_url=base_url, service_workers="allow", **PHONE)
    page = context.new_page()
    throttle(context, page, network=True)
    page.goto(path, wait_until="load", timeout=60_000)
    result = {"cold": wait_for_paint(page)}
    if offline_repeat:
        # Wait until the service worker has saved this page, then go offline and open it again.
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if page.evaluate("caches.match(location.href).then(r => !!r)"):
                break
            time.sleep(0.25)
        else:
            raise SystemExit(f"the service worker did not save {path} within 60 s")
        context.set_offline(True)
        repeat = context.new_page()
        throttle(context, repeat, network=False)
        repeat.goto(path, wait_until="load", timeout=60_000)
        result["offline"] = wait_for_paint(repeat)
    context.close()
    return result


def median(runs: list[dict], phase: str, key: str) -> float | None:
    values = [run[phase][key] for run in runs if run[phase][key] is not None]
    return statistics.median(values) if values else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--routine", default="vold-og-trusler")
    parser.add_argument("--chromium", default=CHROMIUM)
    args = parser.parse_args()
    pages = [(f"/routines/{args.routine}/", True), ("/routines/", True), ("/login/", False)]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=args.chromium, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        print(
            f"phone 390x844, CPU {CPU_SLOWDOWN}x slower, 400 kbit/s, 400 ms round trip; median of {args.runs} runs (ms)"
        )
        print(f"{'page':42} {'phase':8} {'first paint':>11} {'FCP':>7} {'HTML in':>8} {'requests':>8} {'bytes':>7}")
        for path, offline_repeat in pages:
            runs = [measure(browser, args.base_url, path, offline_repeat=offline_repeat) for _ in range(args.runs)]
            for phase in ["cold", "offline"] if offline_repeat else ["cold"]:
                figures = {key: median(runs, phase, key) for key in ("fp", "fcp", "html", "requests", "bytes")}
                print(
                    f"{path:42} {phase:8} {figures['fp'] or 0:11.0f} {figures['fcp'] or 0:7.0f} "
                    f"{figures['html'] or 0:8.0f} {figures['requests'] or 0:8.0f} {figures['bytes'] or 0:7.0f}"
                )
        browser.close()


if __name__ == "__main__":
    main()
