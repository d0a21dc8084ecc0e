/* Maps of the directory: the home map (clusters from the server, points when zoomed in),
   the small map of an actor page, and the draggable pin of the profile form.
   No inline script: configuration comes from json_script blocks and data attributes. */
(function () {
  "use strict";

  function readJSON(id, fallback) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : fallback;
  }

  var config = readJSON("map-config", { tilesUrl: "", tilesAttribution: "" });
  var labels = readJSON("map-labels", {});

  function baseMap(element, options) {
    // maxZoom is required by markercluster when no tile layer is present (offline).
    var map = L.map(element, Object.assign({ maxZoom: 18, minZoom: 3 }, options || {}));
    if (config.tilesUrl) {
      L.tileLayer(config.tilesUrl, { maxZoom: 18, attribution: config.tilesAttribution }).addTo(map);
    }
    return map;
  }

  function dot(colour, className) {
    var span = document.createElement("span");
    span.className = className || "map-marker";
    span.style.backgroundColor = colour || "#4a5568";
    return L.divIcon({ html: span, className: "", iconSize: [18, 18], iconAnchor: [9, 9] });
  }

  function popupContent(props) {
    var box = document.createElement("div");
    box.className = "map-popup";
    var title = document.createElement("h3");
    title.textContent = props.name;
    box.appendChild(title);
    var meta = document.createElement("p");
    meta.className = "meta";
    meta.textContent = [props.commune].concat(props.sectors || []).join(" · ");
    box.appendChild(meta);
    if (props.stale) {
      var badge = document.createElement("p");
      badge.className = "badge badge--stale";
      badge.textContent = labels.stale || "";
      box.appendChild(badge);
    }
    var link = document.createElement("a");
    link.href = props.url;
    link.textContent = labels.seeActor || props.name;
    box.appendChild(link);
    return box;
  }

  function clusterIcon(count) {
    var size = count < 10 ? 34 : count < 100 ? 42 : count < 1000 ? 50 : 58;
    var span = document.createElement("span");
    span.className = "map-cluster";
    span.style.width = size + "px";
    span.style.height = size + "px";
    span.textContent = count >= 10000 ? Math.round(count / 1000) + "k" : String(count);
    return L.divIcon({ html: span, className: "", iconSize: [size, size] });
  }

  function filterParams(form) {
    var params = new URLSearchParams();
    if (!form) return params;
    new FormData(form).forEach(function (value, key) {
      if (value !== "" && key !== "page" && !(key === "radius_km" && !form.elements.near.value)) {
        params.append(key, value);
      }
    });
    return params;
  }

  function initHomeMap(element) {
    var center = element.dataset.center.split(",").map(Number);
    var map = baseMap(element).setView(center, Number(element.dataset.zoom));
    var clusters = L.layerGroup().addTo(map);
    // Points close to each other still merge on the client when fully zoomed in.
    var points = L.markerClusterGroup({ maxClusterRadius: 30, showCoverageOnHover: false }).addTo(map);
    var form = document.getElementById("filters");
    var controller = null;
    var timer = null;

    // Point markers by slug: a reload keeps the markers still in view, so an open popup
    // survives the reload its own auto-pan triggers.
    var pointMarkers = {};

    function render(data) {
      clusters.clearLayers();
      var kept = {};
      var added = [];
      data.features.forEach(function (feature) {
        var lon = feature.geometry.coordinates[0];
        var lat = feature.geometry.coordinates[1];
        var props = feature.properties;
        if (props.cluster) {
          var marker = L.marker([lat, lon], {
            icon: clusterIcon(props.count),
            title: (labels.clusterTitle || "%(count)s").replace("%(count)s", props.count),
            keyboard: true,
          });
          marker.on("click", function () {
            map.setView([lat, lon], Math.min(map.getZoom() + 2, 18));
          });
          clusters.addLayer(marker);
        } else if (pointMarkers[props.slug]) {
          kept[props.slug] = pointMarkers[props.slug];
        } else {
          var point = L.marker([lat, lon], { icon: dot(props.colour), title: props.name, keyboard: true });
          point.bindPopup(popupContent(props));
          kept[props.slug] = point;
          added.push(point);
        }
      });
      var gone = Object.keys(pointMarkers)
        .filter(function (slug) { return !kept[slug]; })
        .map(function (slug) { return pointMarkers[slug]; });
      points.removeLayers(gone);
      points.addLayers(added);
      pointMarkers = kept;
      element.dataset.total = String(data.total);
      element.dataset.features = String(data.features.length);
      element.dataset.loaded = String(Number(element.dataset.loaded || 0) + 1);
    }

    function load() {
      if (controller) controller.abort();
      controller = new AbortController();
      var b = map.getBounds();
      var params = filterParams(form);
      params.set("bbox", [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
        .map(function (n) { return Math.max(-180, Math.min(180, n)).toFixed(5); }).join(","));
      params.set("zoom", String(map.getZoom()));
      fetch(element.dataset.endpoint + "?" + params.toString(), {
        signal: controller.signal,
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(render)
        .catch(function (error) {
          if (error.name !== "AbortError") element.dataset.error = labels.mapError || "error";
        });
    }

    function scheduleLoad() {
      clearTimeout(timer);
      timer = setTimeout(load, 150);
    }

    map.on("moveend", scheduleLoad);
    // The list is swapped by htmx when filters change: reload the map with the same filters.
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail.target && event.detail.target.id === "results") scheduleLoad();
    });
    document.addEventListener("directory:recenter", function (event) {
      map.setView(event.detail.latlng, event.detail.zoom || 13);
    });
    load();
  }

  function initActorMap(element) {
    var latlng = [Number(element.dataset.lat), Number(element.dataset.lon)];
    var map = baseMap(element, { scrollWheelZoom: false }).setView(latlng, 14);
    L.marker(latlng, { icon: dot(element.dataset.colour), title: element.dataset.name }).addTo(map);
  }

  function initPinMap(element) {
    var lat = document.getElementById("id_lat");
    var lon = document.getElementById("id_lon");
    var hasPoint = lat.value && lon.value;
    var start = hasPoint ? [Number(lat.value), Number(lon.value)] : element.dataset.center.split(",").map(Number);
    var map = baseMap(element).setView(start, hasPoint ? 15 : 11);
    var marker = L.marker(start, { draggable: true, icon: dot("#b8471d"), title: element.dataset.label, keyboard: true });
    marker.addTo(map);
    function write(latlng) {
      lat.value = latlng.lat.toFixed(6);
      lon.value = latlng.lng.toFixed(6);
    }
    marker.on("dragend", function () { write(marker.getLatLng()); });
    map.on("click", function (event) {
      marker.setLatLng(event.latlng);
      write(event.latlng);
    });
    [lat, lon].forEach(function (input) {
      input.addEventListener("change", function () {
        if (lat.value && lon.value) {
          var latlng = [Number(lat.value), Number(lon.value)];
          marker.setLatLng(latlng);
          map.panTo(latlng);
        }
      });
    });
  }

  var home = document.getElementById("map");
  if (home) initHomeMap(home);
  document.querySelectorAll("[data-actor-map]").forEach(initActorMap);
  document.querySelectorAll("[data-pin-map]").forEach(initPinMap);
})();
