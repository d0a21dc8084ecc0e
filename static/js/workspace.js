/* The animator's workspace: a "tick all" box for the list to chase, and the number of
   ticked structures next to the bulk action button. Without JavaScript each box is
   ticked by hand; the confirmation page counts them anyway. */
(function () {
  "use strict";
  var form = document.querySelector("[data-bulk-form]");
  if (!form) return;
  var all = form.querySelector("[data-select-all]");
  var counter = form.querySelector("[data-selected-count]");
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name=actors]"));

  function refresh() {
    var ticked = boxes.filter(function (box) { return box.checked; }).length;
    if (all) {
      all.checked = ticked === boxes.length && ticked > 0;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    }
    if (counter) {
      var template = ticked > 1 ? counter.dataset.many : counter.dataset.one;
      counter.textContent = ticked && template ? template.replace("%s", ticked) : "";
    }
  }

  if (all) {
    all.hidden = false;
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
      refresh();
    });
  }
  boxes.forEach(function (box) { box.addEventListener("change", refresh); });
  refresh();
})();
