/* "Near me" for the directory filters: fills the hidden `near` field from the browser's
   position, then lets htmx refresh the list (and the map follows the list). */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) return;
  var labels = JSON.parse((document.getElementById("map-labels") || { textContent: "{}" }).textContent);
  var near = form.elements.near;
  var status = form.querySelector("[data-near-status]");
  var clear = form.querySelector("[data-near-clear]");

  function changed() {
    form.dispatchEvent(new Event("change", { bubbles: true }));
  }

  form.querySelector("[data-near-me]").addEventListener("click", function () {
    if (!navigator.geolocation) {
      status.textContent = labels.locateError || "";
      return;
    }
    status.textContent = labels.locating || "";
    navigator.geolocation.getCurrentPosition(
      function (position) {
        var lat = position.coords.latitude.toFixed(5);
        var lon = position.coords.longitude.toFixed(5);
        near.value = lat + "," + lon;
        status.textContent = labels.located || "";
        clear.hidden = false;
        document.dispatchEvent(new CustomEvent("directory:recenter", {
          detail: { latlng: [Number(lat), Number(lon)], zoom: 12 },
        }));
        changed();
      },
      function () { status.textContent = labels.locateError || ""; },
      { timeout: 10000 }
    );
  });

  clear.addEventListener("click", function () {
    near.value = "";
    clear.hidden = true;
    status.textContent = "";
    changed();
  });

  // Without a position, the radius alone must not refresh anything.
  form.elements.radius_km.addEventListener("change", function (event) {
    if (!near.value) event.stopPropagation();
  });
})();
