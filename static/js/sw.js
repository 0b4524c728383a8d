/* The service worker (served at /sw.js, scope "/"; routines/views/offline.py): the published public routines
   on this phone, for reading without a network (issue 22).

   - On install, and again now and then when online, it fetches the list of public pages and their assets
     (/routines/offline.json) and saves each page whose response says it may (X-Offline-Copy: public, which
     only a public page rendered for an anonymous reader carries; core/http.py). Nothing behind a login is
     ever saved: a signed-in response never carries that header.
   - A public routine page is answered from the saved copy at once, and fetched again in the background
     (stale-while-revalidate); a changed page is saved and the open page is told, so it can offer a reload.
   - With no network at all (navigator.onLine false), the saved copy is answered at once and nothing else is
     tried or refreshed.
   - For someone signed in (signed-in responses carry X-Signed-In; the page tells it too) it goes to the
     network first and uses the saved copy only without a network.
   - Logging out clears every saved copy and this worker with it (Clear-Site-Data: "storage").
   Public routine pages (GET navigations under /routines/ without a query string, the editor and the PDFs
   excepted) and the saved assets are answered as above; any other navigation goes to the network as it is
   (the worker only notes whether it was signed in, and offers the routine list when there is no network);
   other requests are not touched. */
"use strict";

const PAGES = "krisestotte-public-v1";
const STATE = "krisestotte-state-v1";
const LIST_URL = "/routines/offline.json";
const FALLBACK = "/routines/";
const REFRESH_EVERY_MS = 10 * 60 * 1000;
let lastRefresh = 0;

self.addEventListener("install", (event) => {
  self.skipWaiting();
  // Installed even without a network; the pages are then saved on the next visit.
  event.waitUntil(refreshAll().catch(() => {}));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== PAGES && n !== STATE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("message", (event) => {
  if (event.data && typeof event.data.signedIn === "boolean") {
    event.waitUntil(setSignedIn(event.data.signedIn));
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    if (url.pathname === "/language/") {
      // Another language: the saved pages are in the old one. Drop them; they are saved again in the new one.
      const switched = caches.delete(PAGES).then(() => fetch(request));
      event.respondWith(switched);
      event.waitUntil(switched.then(refreshAll).catch(() => {}));
      return;
    }
    event.respondWith(isRoutinePage(url) ? routinePage(event, url) : otherPage(event));
    return;
  }
  if (url.pathname.startsWith("/static/")) event.respondWith(asset(event, request));
});

function isRoutinePage(url) {
  const path = url.pathname;
  return (
    path.startsWith("/routines/") &&
    !url.search &&
    !path.startsWith("/routines/editor/") &&
    !path.endsWith(".pdf") &&
    path !== LIST_URL
  );
}

function mayKeep(response) {
  return response.ok && response.type === "basic" && response.headers.get("X-Offline-Copy") === "public";
}

/* Whether the last page seen was signed in: kept in memory, and in a cache for when the worker restarts. */
let signedInNow = null;

async function signedIn() {
  if (signedInNow === null) {
    const saved = await caches.match("/__signed-in", { cacheName: STATE });
    signedInNow = saved ? (await saved.text()) === "1" : false;
  }
  return signedInNow;
}

async function setSignedIn(value) {
  if (signedInNow === value) return;
  signedInNow = value;
  const state = await caches.open(STATE);
  await state.put("/__signed-in", new Response(value ? "1" : "0"));
}

/* The response as it is kept: the same body and headers, and when it was saved. */
async function stamped(response) {
  const headers = new Headers(response.headers);
  headers.set("X-Saved-At", new Date().toISOString());
  const body = await response.blob();
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

/* Keeps or drops the saved copy of ``url`` after a fresh response; true when the kept page changed. */
async function remember(url, response, wasSignedIn) {
  if (response.headers.get("X-Signed-In") === "1") {
    await setSignedIn(true);
    return false;
  }
  if (wasSignedIn && response.ok) await setSignedIn(false);
  const cache = await caches.open(PAGES);
  if (mayKeep(response)) {
    const before = await cache.match(url);
    const fresh = await stamped(response);
    const changed = before ? (await before.clone().text()) !== (await fresh.clone().text()) : false;
    await cache.put(url, fresh);
    return changed;
  }
  // Gone, made staff-only or moved: no longer a public page, so no longer kept.
  if (response.status === 404 || response.status === 410 || response.type === "opaqueredirect") {
    await cache.delete(url);
  }
  return false;
}

async function routinePage(event, url) {
  const key = url.origin + url.pathname;
  const cache = await caches.open(PAGES);
  if (!self.navigator.onLine) {
    // No network (a basement, a dead zone): the saved copy at once, with no request raced against it and no
    // refresh started, so the phone's processor goes to painting the page (issue 22: <= 0.3 s).
    return (await cache.match(key)) || (await cache.match(self.location.origin + FALLBACK)) || Response.error();
  }
  const [saved, wasSignedIn] = await Promise.all([cache.match(key), signedIn()]);
  const network = fetch(event.request).then(async (response) => {
    const changed = await remember(key, response.clone(), wasSignedIn);
    if (changed && saved) notify(event, { type: "page-updated", path: url.pathname });
    return response;
  });
  if (Date.now() - lastRefresh > REFRESH_EVERY_MS) event.waitUntil(refreshAll().catch(() => {}));
  if (saved && !wasSignedIn) {
    event.waitUntil(network.catch(() => {}));
    return saved;
  }
  try {
    return await network;
  } catch (error) {
    return saved || (await cache.match(self.location.origin + FALLBACK)) || Response.error();
  }
}

/* Any other page comes from the network as it is; its headers say whether the person is signed in (so the
   next routine page is not answered with a copy saved for anyone). Without a network, the routine list. */
async function otherPage(event) {
  try {
    const response = await fetch(event.request);
    const isSignedIn = response.headers.get("X-Signed-In") === "1";
    if (response.type !== "opaqueredirect") await setSignedIn(isSignedIn);
    return response;
  } catch (error) {
    const cache = await caches.open(PAGES);
    return (await cache.match(self.location.origin + FALLBACK)) || Response.error();
  }
}

async function notify(event, message) {
  const client = await self.clients.get(event.resultingClientId || event.clientId);
  if (client) client.postMessage(message);
}

async function asset(event, request) {
  const cache = await caches.open(PAGES);
  const saved = await cache.match(request.url);
  if (!saved) return fetch(request);
  event.waitUntil(
    fetch(request)
      .then((response) => (response.ok ? cache.put(request.url, response) : null))
      .catch(() => {})
  );
  return saved;
}

/* Saves every public page and asset the site lists, and drops saved pages it no longer lists. */
async function refreshAll() {
  lastRefresh = Date.now();
  const listing = await fetch(LIST_URL, { cache: "no-store" });
  if (!listing.ok) return;
  const { pages, assets } = await listing.json();
  const cache = await caches.open(PAGES);
  const wasSignedIn = await signedIn();
  const keep = new Set([...pages, ...assets].map((path) => new URL(path, self.location.origin).href));
  // One page or file that fails (a dropped connection) must not stop the others, nor the worker's install.
  await Promise.allSettled(
    assets.map(async (path) => {
      const response = await fetch(path);
      if (response.ok) await cache.put(new URL(path, self.location.origin).href, response);
    })
  );
  await Promise.allSettled(
    pages.map(async (path) => {
      const response = await fetch(path, { redirect: "manual" });
      await remember(new URL(path, self.location.origin).href, response, wasSignedIn);
    })
  );
  for (const request of await cache.keys()) {
    if (!keep.has(request.url)) await cache.delete(request);
  }
}
