/* Registers the service worker (static/js/sw.js, served at /sw.js) that keeps the public routines on this
   phone, tells it whether this page is signed in (it never keeps a signed-in page), and on a routine page says
   when this phone saved it. */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) return;
  var signedIn = document.body.hasAttribute("data-signed-in");

  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
  navigator.serviceWorker.ready.then(function (registration) {
    if (registration.active) registration.active.postMessage({ signedIn: signedIn });
  });

  // "Version 3, approved 3 Dec 2026, saved on this phone 3 Dec 2026, 17:40."
  var stamp = document.querySelector("[data-offline-stamp]");
  function showStamp() {
    if (!stamp || !("caches" in window)) return;
    caches.match(location.origin + location.pathname).then(function (saved) {
      var when = saved && saved.headers.get("X-Saved-At");
      if (!when) return;
      var date = new Date(when);
      var lang = document.documentElement.lang === "en" ? "en-GB" : "nb-NO";
      var text = date.toLocaleString(lang, { dateStyle: "medium", timeStyle: "short" });
      stamp.textContent = stamp.getAttribute("data-label").replace("{saved}", text);
      stamp.hidden = false;
    });
  }
  showStamp();

  // The service worker saved a newer version of this page than the one shown: offer it, never reload by
  // itself (someone may be reading the routine out loud).
  navigator.serviceWorker.addEventListener("message", function (event) {
    if (!event.data || event.data.type !== "page-updated" || event.data.path !== location.pathname) return;
    var notice = document.querySelector("[data-offline-updated]");
    if (notice) notice.hidden = false;
    showStamp();
  });
})();
