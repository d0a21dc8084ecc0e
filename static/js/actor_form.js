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

/* The sector picker: typing narrows the sectors to those whose name or filière holds every
   typed word, accents and case aside. Checked sectors stay visible, so a member sees what
   the profile already says. */
(function () {
  "use strict";
  var picker = document.querySelector("[data-sector-picker]");
  if (!picker) return;
  var filter = picker.querySelector("[data-sector-filter]");
  var input = filter.querySelector("input");
  var status = filter.querySelector("[data-sector-filter-status]");
  var groups = picker.querySelectorAll("[data-sector-group]");
  filter.hidden = false;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  input.addEventListener("input", function () {
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    var matches = 0;
    groups.forEach(function (group) {
      var filiere = fold(group.querySelector("legend").textContent);
      var any = false;
      group.querySelectorAll("[data-sector-choice]").forEach(function (choice) {
        var text = filiere + " " + fold(choice.textContent);
        var checked = choice.querySelector("input").checked;
        var match = words.every(function (word) { return text.indexOf(word) !== -1; });
        choice.hidden = !(match || checked);
        if (!choice.hidden) any = true;
        if (match) matches += 1;
      });
      group.hidden = !any;
    });
    status.textContent = matches ? "" : status.dataset.none;
  });
})();
