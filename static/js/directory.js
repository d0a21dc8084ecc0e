/* The directory's home page: the filters, the list and the map follow one URL.

   - Every change of a filter, however it is made (typed, pasted, autofilled, cleared with
     the box's ✕, chosen), makes one request for the list, after a short pause; the map
     reloads once with the same filters.
   - The address bar holds the filters (a new history entry per change), so a reload or a
     shared link shows the same thing, and Back and Forward restore the form, the list and
     the map together.
   - "Near me" uses the browser's position, or an address or a commune typed instead.
   - "Follow the map" keeps the list to the map's visible area (bbox in the URL).
   - Phones show the list or the map, one tap apart.
   The map is driven by events on `document` (see map.js). */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var results = document.getElementById("results");
  if (!form || !results) return;
  var directory = document.querySelector("[data-directory]");
  var mapElement = document.getElementById("map");
  var labels = JSON.parse((document.getElementById("map-labels") || { textContent: "{}" }).textContent);
  // Long enough to type a word, short enough to feel immediate.
  var TYPING_PAUSE = 300;
  var SELECTS = ["sector", "legal_form", "commune", "freshness"];

  function emit(name, detail) {
    document.dispatchEvent(new CustomEvent(name, { detail: detail || {} }));
  }

  function format(text, values) {
    return (text || "").replace(/%\((\w+)\)s/g, function (match, key) {
      return key in values ? values[key] : match;
    });
  }

  /* The filters as the URL holds them: what the form sends, without empty values, and the
     radius only around a point. */
  function queryOf() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (value === "") return;
      if (key === "radius_km" && !form.elements.near.value) return;
      params.append(key, value);
    });
    return params.toString();
  }

  // The map has its own area: only the other filters concern it.
  function mapQueryOf(query) {
    var params = new URLSearchParams(query);
    params.delete("bbox");
    return params.toString();
  }

  /* --- The list ------------------------------------------------------------------------ */

  var listController = null;

  function loadList(url, focusCount) {
    if (listController) listController.abort();
    listController = new AbortController();
    results.setAttribute("aria-busy", "true");
    // The header htmx sends: the view answers with the results partial.
    fetch(url, { headers: { "HX-Request": "true" }, signal: listController.signal })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        results.innerHTML = html;
        results.removeAttribute("aria-busy");
        results.dataset.loaded = String(Number(results.dataset.loaded || 0) + 1);
        var count = results.querySelector(".results-count");
        if (focusCount && count) count.focus();
      })
      .catch(function (error) {
        if (error.name === "AbortError") return;
        results.removeAttribute("aria-busy");
        // The old list stays, said to be out of date; the URL is already the new one.
        var notice = document.createElement("p");
        notice.className = "notice notice--error";
        notice.setAttribute("role", "alert");
        notice.textContent = results.dataset.labelError || "";
        results.prepend(notice);
      });
  }

  /* --- One URL ------------------------------------------------------------------------- */

  var shown = null; // the filters the list and the map show
  var shownSearch = null; // the URL's query string they come from (with the page)
  var languageNext = document.querySelector("[data-language-next]");

  function urlChanged() {
    shownSearch = window.location.search;
    // Switching language comes back to this very list.
    if (languageNext) languageNext.value = window.location.pathname + window.location.search;
  }

  var timer = null;
  var pushPending = false;

  function apply() {
    var push = pushPending;
    pushPending = false;
    var query = queryOf();
    if (query === shown) return;
    var mapChanged = mapQueryOf(query) !== mapQueryOf(shown);
    shown = query;
    var url = form.getAttribute("action") + (query ? "?" + query : "");
    // A move of the map that the list follows replaces the entry: Back goes to the previous
    // filters, not through every position of the map.
    if (push) window.history.pushState({ directory: true }, "", url);
    else window.history.replaceState({ directory: true }, "", url);
    urlChanged();
    loadList(url, false);
    if (mapChanged) emit("directory:filters");
    countActive();
  }

  // Every kind of change comes here; the pause merges bursts into one request.
  function schedule(delay, replace) {
    if (!replace) pushPending = true;
    clearTimeout(timer);
    timer = setTimeout(apply, delay);
  }

  function fillForm(params) {
    form.elements.q.value = params.get("q") || "";
    SELECTS.forEach(function (name) {
      var select = form.elements[name];
      var value = params.get(name) || "";
      select.value = value;
      if (select.value !== value) select.value = "";
    });
    form.elements.near.value = params.get("near") || "";
    var radius = form.elements.radius_km;
    radius.value = params.get("radius_km") || radius.options[0].value;
    form.elements.bbox.value = params.get("bbox") || "";
    if (follow) follow.checked = Boolean(form.elements.bbox.value);
    showNearState("");
    countActive();
  }

  form.addEventListener("input", function (event) {
    // Fields without a name (the typed place, "follow the map") are not filters.
    if (!event.target.name) return;
    schedule(event.target.tagName === "SELECT" ? 0 : TYPING_PAUSE);
  });
  form.addEventListener("change", function (event) {
    if (!event.target.name) return;
    schedule(event.target.tagName === "SELECT" ? 0 : TYPING_PAUSE);
  });
  // The box's ✕ (and Escape) clear it: say so at once.
  form.elements.q.addEventListener("search", function () { schedule(0); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (document.activeElement === placeInput) {
      searchPlace();
      return;
    }
    schedule(0);
  });

  results.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-page-link]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    window.history.pushState({ directory: true }, "", link.href);
    urlChanged();
    loadList(link.href, true);
  });

  window.addEventListener("popstate", function () {
    if (window.location.search === shownSearch) return; // only the #fragment changed
    var params = new URLSearchParams(window.location.search);
    clearTimeout(timer);
    pushPending = false;
    fillForm(params);
    var query = queryOf();
    var mapChanged = mapQueryOf(query) !== mapQueryOf(shown);
    var bbox = form.elements.bbox.value;
    var areaChanged = bbox && bbox !== new URLSearchParams(shown).get("bbox");
    shown = query;
    urlChanged();
    loadList(window.location.pathname + window.location.search, false);
    if (mapChanged || areaChanged) emit("directory:restore", { bbox: bbox });
  });

  /* --- Filters folded on phones -------------------------------------------------------- */

  var toggle = form.querySelector(".filters__toggle");
  var activeBadge = form.querySelector("[data-filters-active]");

  function countActive() {
    var count = SELECTS.filter(function (name) { return form.elements[name].value; }).length;
    if (form.elements.near.value) count += 1;
    if (activeBadge) activeBadge.textContent = count ? " (" + count + ")" : "";
  }

  function setExpanded(open) {
    toggle.setAttribute("aria-expanded", String(open));
    form.classList.toggle("filters--collapsed", !open);
  }

  form.classList.add("filters--live", "filters--collapsible");
  setExpanded(false);
  toggle.addEventListener("click", function () {
    setExpanded(toggle.getAttribute("aria-expanded") !== "true");
  });

  /* --- Near me ------------------------------------------------------------------------- */

  var nearBox = form.querySelector("[data-near]");
  var nearStatus = nearBox.querySelector("[data-near-status]");
  var nearClear = nearBox.querySelector("[data-near-clear]");
  var placeBox = nearBox.querySelector("[data-near-place]");
  var placeInput = placeBox.querySelector("input");

  function showNearState(message) {
    nearClear.hidden = !form.elements.near.value;
    nearStatus.textContent = message;
  }

  function setNear(lat, lon, message) {
    form.elements.near.value = lat.toFixed(5) + "," + lon.toFixed(5);
    showNearState(message);
    emit("directory:near");
    schedule(0);
  }

  function askPlace(message) {
    nearStatus.textContent = message;
    placeBox.hidden = false;
    placeInput.focus();
  }

  function searchPlace() {
    var text = placeInput.value.trim();
    if (text.length < 2) return;
    nearStatus.textContent = nearBox.dataset.labelSearching;
    fetch(nearBox.dataset.placesUrl + "?" + new URLSearchParams({ q: text }), {
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (places) {
        if (!places.length) {
          nearStatus.textContent = format(nearBox.dataset.labelNotFound, { query: text });
          return;
        }
        var place = places[0];
        setNear(place.lat, place.lon, format(nearBox.dataset.labelAround, { place: place.label }));
      })
      .catch(function () { nearStatus.textContent = labels.locateError || ""; });
  }

  nearBox.querySelector("[data-near-me]").addEventListener("click", function () {
    if (!navigator.geolocation) {
      askPlace(nearBox.dataset.labelTypePlace);
      return;
    }
    nearStatus.textContent = labels.locating || "";
    navigator.geolocation.getCurrentPosition(
      function (position) {
        setNear(position.coords.latitude, position.coords.longitude, labels.located || "");
      },
      function () { askPlace(nearBox.dataset.labelTypePlace); },
      { timeout: 10000 }
    );
  });
  placeBox.querySelector("[data-near-place-search]").addEventListener("click", searchPlace);
  nearClear.addEventListener("click", function () {
    form.elements.near.value = "";
    showNearState("");
    schedule(0);
  });

  /* --- Follow the map ------------------------------------------------------------------ */

  var followBox = form.querySelector("[data-follow-map]");
  var follow = followBox ? followBox.querySelector("input[type=checkbox]") : null;
  if (follow && mapElement) {
    followBox.hidden = false;
    follow.addEventListener("change", function () {
      form.elements.bbox.value = follow.checked ? mapElement.dataset.bbox || "" : "";
      schedule(0);
    });
    document.addEventListener("directory:mapmoved", function (event) {
      if (!follow.checked) return;
      form.elements.bbox.value = event.detail.bbox;
      schedule(TYPING_PAUSE, true);
    });
  }

  /* --- List or map, on phones ---------------------------------------------------------- */

  var VIEW_KEY = "directory-view";
  var viewButtons = directory ? directory.querySelectorAll("[data-show-view]") : [];

  function showView(view) {
    directory.dataset.view = view;
    viewButtons.forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.showView === view));
    });
    emit("directory:view", { view: view });
  }

  if (directory && mapElement) {
    directory.classList.add("directory--switchable");
    viewButtons.forEach(function (button) {
      button.addEventListener("click", function () {
        showView(button.dataset.showView);
        // The map fills the screen under the switch, the list starts at its top.
        var target = button.dataset.showView === "map" ? mapElement : results;
        target.scrollIntoView({ block: button.dataset.showView === "map" ? "end" : "nearest" });
        try {
          window.sessionStorage.setItem(VIEW_KEY, button.dataset.showView);
        } catch (error) {
          // Storage refused (private mode): the choice lasts for this page only.
        }
      });
    });
    var remembered = null;
    try {
      remembered = window.sessionStorage.getItem(VIEW_KEY);
    } catch (error) {
      remembered = null;
    }
    if (remembered === "map") showView("map");
    // Leaving the phone layout shows the map beside the list: it must take its new size.
    window.matchMedia("(max-width: 900px)").addEventListener("change", function () {
      emit("directory:view", { view: "map" });
    });
  }

  /* --- Start --------------------------------------------------------------------------- */

  // The list was rendered from the URL: the form says the same (a browser may have put back
  // what was typed before a reload).
  fillForm(new URLSearchParams(window.location.search));
  shown = queryOf();
  urlChanged();
})();
