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
    if (type === "integer" || type === "decimal") { a = parseFloat(a); b = parseFloat(b); }
    if (a === b) return 0;
    return a > b ? 1 : (a < b ? -1 : NaN);
  }

  function holds(c) {
    var answers = values(c.field);
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

  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
})();
