// The idle warning: SESSION_IDLE_WARNING_SECONDS before the idle timeout, a modal dialog offers "Stay signed
// in" (a POST to the keep-alive endpoint) and "Log out"; when the time runs out it says the session has ended
// and links to the login page with ?next= this page.
// The timeout is the server's: before opening the dialog, and before declaring the session ended, the page
// asks the status endpoint (which does not renew the session), so activity in another tab resets the timer
// here. Other scripts tell this one that they renewed the session (an autosave) with a "session:renewed"
// event, and hear "session:expiring" when the dialog opens. Nothing is kept in browser storage.
(function () {
  "use strict";
  var body = document.body;
  var dialog = document.getElementById("idle-dialog");
  if (!dialog || !body.dataset.sessionAge || typeof dialog.showModal !== "function") return;

  var age = parseInt(body.dataset.sessionAge, 10);
  var warning = parseInt(body.dataset.sessionWarning, 10);
  var loaded = Date.now();
  var absoluteEnd = loaded + parseInt(body.dataset.sessionAbsolute, 10) * 1000;
  var deadline = Math.min(loaded + age * 1000, absoluteEnd);
  var limited = deadline >= absoluteEnd;
  var timer = null;
  var tick = null;
  var ended = false;

  var warningPart = dialog.querySelector("[data-idle-warning]");
  var endedPart = dialog.querySelector("[data-idle-ended]");
  var countdown = dialog.querySelector("[data-idle-countdown]");
  var limitedNote = dialog.querySelector("[data-idle-limited]");
  var failedNote = dialog.querySelector("[data-idle-failed]");
  var stayButton = dialog.querySelector("[data-idle-stay]");
  var token = dialog.querySelector("input[name=csrfmiddlewaretoken]").value;

  function secondsLeft() { return Math.max(0, Math.round((deadline - Date.now()) / 1000)); }

  function format(seconds) {
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function schedule() {
    window.clearTimeout(timer);
    if (ended) return;
    var wait = deadline - warning * 1000 - Date.now();
    timer = window.setTimeout(checkThenWarn, Math.max(0, wait));
  }

  // The server's answer: {authenticated, remaining (seconds), limited (the absolute limit comes first)}.
  function learn(answer) {
    if (!answer.authenticated || answer.remaining <= 0) return false;
    deadline = Date.now() + answer.remaining * 1000;
    limited = answer.limited;
    return true;
  }

  function status() {
    return window.fetch(dialog.dataset.statusUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (response.redirected) return {authenticated: false};  // ended at the absolute limit: sent to log in
        if (!response.ok) throw new Error("status " + response.status);
        return response.json();
      });
  }

  function checkThenWarn() {
    status().then(function (answer) {
      if (!learn(answer)) { end(); return; }
      if (secondsLeft() > warning + 5) { schedule(); return; }
      warn();
    }, warn);  // the server cannot be reached: warn on the page's own clock
  }

  function warn() {
    if (ended) return;
    limitedNote.hidden = !limited;
    stayButton.hidden = limited;
    failedNote.hidden = true;
    countdown.textContent = format(secondsLeft());
    if (!dialog.open) {
      dialog.showModal();
      (limited ? dialog.querySelector("button[type=submit]") : stayButton).focus();
      document.dispatchEvent(new CustomEvent("session:expiring"));
    }
    window.clearInterval(tick);
    tick = window.setInterval(function () {
      countdown.textContent = format(secondsLeft());
      if (Date.now() >= deadline) { window.clearInterval(tick); checkThenEnd(); }
    }, 1000);
  }

  function checkThenEnd() {
    status().then(function (answer) {
      if (!learn(answer)) { end(); return; }
      if (secondsLeft() > warning) { close(); schedule(); } else { warn(); }  // another tab kept it alive
    }, end);
  }

  function close() {
    window.clearInterval(tick);
    if (dialog.open) dialog.close();
  }

  function end() {
    ended = true;
    window.clearInterval(tick);
    window.clearTimeout(timer);
    warningPart.hidden = true;
    endedPart.hidden = false;
    dialog.classList.add("idle-dialog--ended");
    dialog.setAttribute("aria-labelledby", "idle-ended-title");
    dialog.setAttribute("aria-describedby", "idle-ended-text");
    if (!dialog.open) dialog.showModal();
    dialog.querySelector("[data-idle-login]").focus();
  }

  function stay() {
    stayButton.disabled = true;
    window.fetch(dialog.dataset.keepAliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {"X-CSRFToken": token, "Accept": "application/json"}
    }).then(function (response) {
      if (response.status === 401 || response.status === 403 || response.redirected) return {authenticated: false};
      if (!response.ok) throw new Error("keep-alive " + response.status);
      return response.json();
    }).then(function (answer) {
      stayButton.disabled = false;
      if (!learn(answer)) { end(); return; }
      close();
      schedule();
    }, function () {
      stayButton.disabled = false;
      failedNote.hidden = false;
    });
  }

  stayButton.addEventListener("click", stay);
  // Escape: while warning it means "I am here" (the same as staying); once ended it does nothing.
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();
    if (!ended && !limited) stay();
  });
  // Once ended the dialog stays: the browser may close a modal on a repeated Escape even when told not to.
  dialog.addEventListener("close", function () {
    if (ended) dialog.showModal();
  });
  // Another script renewed the session (an autosave): a full idle period again, never past the absolute limit.
  document.addEventListener("session:renewed", function () {
    if (ended) return;
    deadline = Math.min(Date.now() + age * 1000, absoluteEnd);
    limited = deadline >= absoluteEnd;
    if (dialog.open && secondsLeft() > warning) close();
    schedule();
  });
  schedule();
})();
