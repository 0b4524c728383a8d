// Progressive enhancement for intake steps: shows and hides the questions, groups and advice whose
// conditions rest on answers on the same page, as the person answers. The server decides on save (and
// clears answers that no longer apply); without this script every such question is shown with its
// "Only if ..." hint. Answers are never kept in browser storage.
(function () {
  "use strict";
  var form = document.querySelector("form.intake-step");
  if (!form) return;

  function values(name) {
    var result = [];
    form.querySelectorAll('[name="' + name + '"]').forEach(function (el) {
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      if (el.value !== "") result.push(el.value);
    });
    return result;
  }

  function compare(a, b, type) {
    if (type === "integer" || type === "decimal" || type === "quantity") { a = parseFloat(a); b = parseFloat(b); }
    if (a === b) return 0;
    return a > b ? 1 : (a < b ? -1 : NaN);
  }

  function holds(c) {
    // In a repeating group a condition may read several fields (every instance, every row): any answer counts.
    var answers = c.fields ? c.fields.reduce(function (all, name) { return all.concat(values(name)); }, []) : values(c.field);
    if (c.op === "exists") return (answers.length > 0) === Boolean(c.value);
    var results = answers.map(function (a) { return compare(a, String(c.value), c.type); });
    switch (c.op) {
      case "=": return results.some(function (r) { return r === 0; });
      case "!=": return results.some(function (r) { return r !== 0; });
      case ">": return results.some(function (r) { return r > 0; });
      case "<": return results.some(function (r) { return r < 0; });
      case ">=": return results.some(function (r) { return r >= 0; });
      case "<=": return results.some(function (r) { return r <= 0; });
    }
    return true;
  }

  function update() {
    form.querySelectorAll("[data-enable-when]").forEach(function (el) {
      var rule = JSON.parse(el.getAttribute("data-enable-when"));
      var results = rule.conditions.map(holds);
      var on = rule.behavior === "any" ? results.some(Boolean) : results.every(Boolean);
      el.hidden = !on;
      var hint = el.querySelector(":scope > .intake-hint");
      if (hint) hint.hidden = true; // the script shows and hides; the hint is for pages without it
    });
  }

  // An exclusive option (questionnaire-optionExclusive, "None of these") stands alone: ticking it clears the
  // question's other boxes, and ticking another clears it. The server refuses the combination too.
  form.addEventListener("change", function (event) {
    var box = event.target;
    if (box.type !== "checkbox" || !box.checked) return;
    var group = form.querySelectorAll('input[type=checkbox][name="' + box.name + '"]');
    if (!form.querySelector('input[type=checkbox][name="' + box.name + '"][data-exclusive]')) return;
    group.forEach(function (other) {
      if (other !== box && (box.hasAttribute("data-exclusive") || other.hasAttribute("data-exclusive"))) {
        other.checked = false;
      }
    });
  }, true);

  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
})();

// Autosave: the step's answers go to the server in the background (intake/views/autosave.py) as soon as an
// answer changes or the counsellor leaves a field, a moment after she stops typing, at once when the idle
// warning opens, and as a last flush when the page is left (a progress-bar link, Back, closing the tab:
// "pagehide" and "visibilitychange" send a keepalive request that outlives the page). Every save goes through
// the same service as the buttons, with its check that no other tab saved meanwhile: on a conflict autosave
// stops and says so, and nothing is overwritten. Nothing is sent when nothing changed since the last save; a
// change that would clear answers on other steps is held back for the buttons' save. When something could not
// be saved (a conflict, a held change, an answer that needs correcting, an ended session), leaving the page
// asks first. Answers stay in this page's memory and the server, never in browser storage. Without this
// script the step saves only with its buttons, as before.
(function () {
  "use strict";
  var form = document.querySelector("form.intake-step[data-autosave-url]");
  if (!form || !window.fetch || !window.FormData) return;
  var DELAY = 1500;
  var status = form.querySelector("[data-autosave-status]");  // polite: saved
  var problem = form.querySelector("[data-autosave-alert]");  // assertive: not saved, and why
  var revision = form.querySelector("input[name=revision]");
  var labels = form.dataset;
  var pending = null;
  var inFlight = null;  // the snapshot being saved, or null
  var again = false;
  var stopped = false;
  var held = false;     // the server held the last change back (it would clear other answers)
  var needsFix = false; // the server kept some answers as saved: they need correcting first
  var submitting = false;
  var heldSubmit = null;

  function snapshot() {
    var data = new FormData(form);
    data.delete("revision");
    data.delete("csrfmiddlewaretoken");
    return new URLSearchParams(data).toString();
  }

  var lastSaved = snapshot();  // the page as the server rendered it: the saved answers
  form.dataset.autosaveReady = "true";  // for tests: the script has taken its first snapshot

  function say(text, urgent) {
    (urgent ? problem : status).textContent = text;
    (urgent ? status : problem).textContent = "";
  }

  function finished() {
    inFlight = null;
    if (heldSubmit) {
      var submitter = heldSubmit;
      heldSubmit = null;
      if (submitter.form === form) { form.requestSubmit(submitter); } else { form.requestSubmit(); }
      return;
    }
    if (again) { again = false; save(); }
  }

  function save() {
    window.clearTimeout(pending);
    pending = null;
    if (stopped || submitting) return;
    if (inFlight !== null) { again = true; return; }
    var sent = snapshot();
    if (sent === lastSaved) return;
    inFlight = sent;
    // keepalive: a save begun as the counsellor clicks a link or closes the tab still reaches the server.
    window.fetch(form.dataset.autosaveUrl, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      keepalive: true,
      headers: {"Accept": "application/json"}
    }).then(function (response) {
      if (response.redirected) {  // sent to the login page: the session has ended
        stopped = true;
        say(labels.labelEnded, true);
        return null;
      }
      if (response.status === 409) {
        return response.json().then(function (answer) {
          stopped = true;
          say(answer.reason === "conflict" ? labels.labelConflict : labels.labelFailed, true);
          return null;
        });
      }
      if (!response.ok) throw new Error("autosave " + response.status);
      return response.json();
    }).then(function (answer) {
      if (answer && answer.saved) {
        // Answers kept as they were (they need correcting) are not saved: the page still differs from the server.
        if (!answer.unsaved) lastSaved = sent;
        held = false;
        needsFix = Boolean(answer.unsaved);
        revision.value = answer.revision;
        say(answer.unsaved ? labels.labelPartial : labels.labelSaved, false);
        document.dispatchEvent(new CustomEvent("session:renewed"));
      } else if (answer && answer.reason === "would_clear") {
        held = true;
        say(labels.labelHeld, false);  // not stopped: changing the answer back saves again
      }
      finished();
    }, function () {
      say(labels.labelFailed, true);
      finished();
    });
  }

  function later() {
    window.clearTimeout(pending);
    pending = window.setTimeout(save, DELAY);
  }

  // Something on the page that no save has stored and the last flush cannot store either.
  function unsaved() {
    var now = snapshot();
    if (now === lastSaved) return false;
    if (stopped || held || needsFix) return true;
    return false;  // the flush below sends it, or the save in flight already carries it
  }

  function flush() {
    if (submitting || stopped) return;
    var now = snapshot();
    if (now === lastSaved || now === inFlight) return;
    if (inFlight !== null) {
      // A save is on its way with older answers; this one would look like another tab's. The beacon sends
      // what the page holds now with the revision the save in flight will produce.
      var data = new FormData(form);
      data.set("revision", String(parseInt(revision.value, 10) + 1));
      sendNow(data);
      return;
    }
    save();
  }

  function sendNow(data) {
    if (navigator.sendBeacon) { navigator.sendBeacon(form.dataset.autosaveUrl, data); return; }
    window.fetch(form.dataset.autosaveUrl, {method: "POST", body: data, credentials: "same-origin", keepalive: true});
  }

  form.addEventListener("input", later);
  form.addEventListener("change", save);    // a choice made, or a text field left after changing it
  form.addEventListener("focusout", save);  // leaving a field
  form.addEventListener("submit", function (event) {
    window.clearTimeout(pending);  // the button's own save sends everything
    if (inFlight !== null) {  // wait for the autosave's new revision, or the save would look like another tab's
      event.preventDefault();
      heldSubmit = event.submitter || true;
      return;
    }
    submitting = true;
  });
  window.addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") flush();
  });
  window.addEventListener("beforeunload", function (event) {
    if (submitting || !unsaved()) return;
    event.preventDefault();
    event.returnValue = "";  // older browsers show their own question only when this is set
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) submitting = false;  // back from the page cache: the page is live again
  });
  document.addEventListener("session:expiring", save);
})();

// The keyboard: on each new step focus goes to its first question (or, after a failed save, to the summary of
// what to fix at the top, whose links lead to each field), and Enter in a one-line field means "next", never
// the form's first button ("Back").
(function () {
  "use strict";
  var form = document.querySelector("form.intake-step");
  if (!form) return;
  var summary = document.getElementById("error-summary");
  // After "Add another" or "Remove" the page comes back with the row added (or the group it was removed from)
  // named in data-focus: focus goes there, so the keyboard stays where the counsellor was.
  var focus = form.dataset.focus && document.getElementById(form.dataset.focus);
  if (focus && !summary) {
    focus.focus();
  } else if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {  // a fragment link scrolls; this also focuses the field
      var link = event.target.closest("a[href^='#']");
      var field = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!field) return;
      event.preventDefault();
      field.focus();
    });
  } else {
    var fields = form.querySelectorAll(".intake-question input:not([type=hidden]), .intake-question textarea, .intake-question select");
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].offsetParent !== null && !fields[i].disabled) { fields[i].focus(); break; }
    }
  }
  var next = form.querySelector("button[name=action][value=next]");
  if (!next) return;
  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.isComposing) return;
    var target = event.target;
    if (target.tagName !== "INPUT" || target.type === "submit" || target.type === "button") return;
    event.preventDefault();
    form.requestSubmit(next);
  });
})();
