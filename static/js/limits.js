// Text limits said out loud: a field with data-maxlength gets a live counter once its text nears the limit,
// and says how much is too much when it goes past. Nothing is ever cut: the server refuses text beyond the
// limit with a clear error and the page keeps what was typed. Labels come from the field
// (data-label-count, data-label-over: "{count}", "{limit}" and "{over}" are filled in).
(function () {
  "use strict";
  var NEAR = 0.8;  // the counter appears from 80 % of the limit

  document.querySelectorAll("[data-maxlength]").forEach(function (field) {
    var limit = parseInt(field.dataset.maxlength, 10);
    if (!limit) return;
    var counter = document.createElement("p");
    counter.className = "form-text intake-counter";
    counter.id = field.id + "_counter";
    counter.setAttribute("aria-live", "polite");
    counter.hidden = true;
    field.insertAdjacentElement("afterend", counter);
    var described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    described.push(counter.id);
    field.setAttribute("aria-describedby", described.join(" "));

    function update() {
      var count = field.value.length;
      counter.hidden = count < limit * NEAR;
      var over = count - limit;
      counter.classList.toggle("text-danger", over > 0);
      counter.classList.toggle("fw-bold", over > 0);
      counter.textContent = (over > 0 ? field.dataset.labelOver : field.dataset.labelCount)
        .replace("{count}", count).replace("{limit}", limit).replace("{over}", over);
    }

    field.addEventListener("input", update);
    update();
  });
})();
