/* Live validation of the profile form: when a field changes, the server re-renders that
   field with its errors (htmx), so members see mistakes before saving. Delegated on the
   form, so swapped fields keep working. */
(function () {
  "use strict";
  var form = document.querySelector("[data-actor-form]");
  if (!form || !window.htmx) return;
  var url = form.dataset.validateUrl;
  var skipped = { file: true, hidden: true, checkbox: true, submit: true };

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.name || skipped[input.type]) return;
    var field = input.closest(".field");
    if (!field) return;
    var values = {};
    new FormData(form).forEach(function (value, key) {
      if (typeof value === "string") values[key] = value;
    });
    htmx.ajax("POST", url, {
      source: input,
      target: field,
      swap: "outerHTML",
      values: values,
      headers: { "HX-Trigger-Name": input.name },
    });
  });
})();
