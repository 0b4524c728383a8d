// The discreet printout's page.
// - An item's field for the person's own title is shown while the item is ticked (and always when it holds an
//   error); without this script every field shows. A hidden field keeps its text and is sent as it is.
// - The preview shows what the form said when it was made. Once a choice changes, say so above the preview
//   (its words come from the page, translated): the PDF follows the form, so show the preview again.
(function () {
  "use strict";
  var form = document.getElementById("printout-form");
  if (!form) return;

  form.querySelectorAll(".printout-item").forEach(function (row) {
    var box = row.querySelector("input[type=checkbox]");
    var title = row.querySelector(".printout-item__title");
    if (!box || !title) return;
    function update() {
      title.hidden = !box.checked && !title.hasAttribute("data-invalid");
    }
    box.addEventListener("change", update);
    update();
  });

  var stale = document.getElementById("printout-preview-stale");
  if (!stale) return;
  function changed() {
    if (!stale.hidden) return;
    stale.textContent = stale.dataset.text;
    stale.hidden = false;
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
})();
