// Session mode for a facilitator guide: one agenda step at a time, with a countdown per step.
// Progressive enhancement: without this script the page is the plain agenda list.
// The timer is not a live region (it would be read out every second); a separate polite live region
// announces the step, one minute left, and time up.
(function () {
  "use strict";
  var root = document.querySelector("[data-session]");
  if (!root) { return; }
  var steps = Array.prototype.slice.call(root.querySelectorAll(".session-step"));
  if (!steps.length) { return; }
  var controls = root.querySelector(".session-controls");
  var timer = root.querySelector("[data-session-timer]");
  var position = root.querySelector("[data-session-position]");
  var announce = root.querySelector("[data-session-announce]");
  var prev = root.querySelector("[data-session-prev]");
  var next = root.querySelector("[data-session-next]");
  var pause = root.querySelector("[data-session-pause]");
  var finished = root.querySelector("[data-session-finished]");
  var restart = root.querySelector("[data-session-restart]");
  var label = root.dataset;
  var current = 0;
  var left = 0;
  var paused = false;
  var tick = null;

  function format(seconds) {
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function say(text) {
    announce.textContent = text;
  }

  function show(index, focus) {
    current = Math.max(0, Math.min(index, steps.length - 1));
    steps.forEach(function (step, i) { step.hidden = i !== current; });
    left = (parseInt(steps[current].dataset.minutes, 10) || 0) * 60;
    paused = false;
    pause.textContent = label.labelPause;
    timer.textContent = format(left);
    var where = label.labelStep.replace("{n}", current + 1).replace("{total}", steps.length);
    position.textContent = where;
    prev.disabled = current === 0;
    // On the last step the button ends the session instead of being disabled.
    next.textContent = current === steps.length - 1 ? label.labelFinish : label.labelNext;
    controls.hidden = false;
    finished.hidden = true;
    var heading = steps[current].querySelector("h2");
    say(where + ": " + (heading ? heading.textContent.trim() : ""));
    if (focus) { steps[current].focus(); }
  }

  function step() {
    if (paused || left <= 0) { return; }
    left -= 1;
    timer.textContent = format(left);
    if (left === 60) { say(label.labelMinuteLeft); }
    if (left === 0) { say(label.labelTimeUp); timer.classList.add("session-timer--done"); }
  }

  prev.addEventListener("click", function () { timer.classList.remove("session-timer--done"); show(current - 1, true); });
  function finish() {
    steps.forEach(function (step) { step.hidden = true; });
    controls.hidden = true;
    paused = true;
    finished.hidden = false;
    say(label.labelFinished);
    finished.focus();
  }

  next.addEventListener("click", function () {
    timer.classList.remove("session-timer--done");
    if (current === steps.length - 1) { finish(); } else { show(current + 1, true); }
  });
  restart.addEventListener("click", function () { show(0, true); });
  pause.addEventListener("click", function () {
    paused = !paused;
    pause.textContent = paused ? label.labelResume : label.labelPause;
    say(paused ? label.labelPaused : format(left));
  });

  controls.hidden = false;
  show(0, false);
  tick = window.setInterval(step, 1000);
}());
