/* Maps of the directory: the home map (clusters from the server, light points when zoomed
   in, details fetched when a popup opens), the small map of an actor page, and the draggable
   pin of the profile form.
   No inline script: configuration comes from json_script blocks and data attributes.
   The home map talks with directory.js through events on `document`:
   - it listens to "directory:filters" (the filters changed: reload), "directory:restore"
     (Back or Forward: show the URL's area), "directory:near" (a "near me" point was chosen:
     show it and its radius) and "directory:view" (a phone switched to the map);
   - it sends "directory:mapmoved" when a person moved it, with the visible area. */
(function () {
  "use strict";

  function readJSON(id, fallback) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : fallback;
  }

  var config = readJSON("map-config", { tilesUrl: "", tilesAttribution: "" });
  var labels = readJSON("map-labels", {});

  // Placeholders as gettext writes them: "%(name)s".
  function format(text, values) {
    return (text || "").replace(/%\((\w+)\)s/g, function (match, key) {
      return key in values ? values[key] : match;
    });
  }

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

  function clusterIcon(count) {
    var size = count < 10 ? 34 : count < 100 ? 42 : count < 1000 ? 50 : 58;
    var span = document.createElement("span");
    span.className = "map-cluster";
    span.style.width = size + "px";
    span.style.height = size + "px";
    span.textContent = count >= 10000 ? Math.round(count / 1000) + "k" : String(count);
    return L.divIcon({ html: span, className: "", iconSize: [size, size] });
  }

  function messageBox(text) {
    var box = document.createElement("div");
    box.className = "map-popup";
    var line = document.createElement("p");
    line.textContent = text;
    box.appendChild(line);
    return box;
  }

  function popupContent(props) {
    var box = document.createElement("div");
    box.className = "map-popup";
    box.dataset.actor = props.slug;
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

  /* The filters of the list, as the map endpoint takes them: not the list's own area
     (bbox: the map sends its own) nor its page; the radius only around a point. */
  function filterParams(form) {
    var params = new URLSearchParams();
    if (!form) return params;
    new FormData(form).forEach(function (value, key) {
      if (value === "" || key === "page" || key === "bbox") return;
      if (key === "radius_km" && !form.elements.near.value) return;
      params.append(key, value);
    });
    return params;
  }

  function bboxOf(map) {
    var b = map.getBounds();
    return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
      .map(function (n) { return Math.max(-180, Math.min(180, n)).toFixed(5); })
      .join(",");
  }

  function parseBbox(text) {
    var n = (text || "").split(",").map(Number);
    if (n.length !== 4 || n.some(isNaN)) return null;
    return L.latLngBounds([n[1], n[0]], [n[3], n[2]]);
  }

  function initHomeMap(element) {
    var form = document.getElementById("filters");
    var center = element.dataset.center.split(",").map(Number);
    var map = baseMap(element);
    var clusters = L.layerGroup().addTo(map);
    // Points close to each other still merge on the client when fully zoomed in.
    var points = L.markerClusterGroup({ maxClusterRadius: 30, showCoverageOnHover: false }).addTo(map);
    var nearLayer = L.layerGroup().addTo(map);
    var controller = null;
    var timer = null;
    // Moves made to show a URL's area: the list already shows that area.
    var quiet = false;
    // An area to show once the map has a size (a phone shows the list first).
    var pendingArea = null;

    // Filière of a marker colour, from the legend: the accessible name of a point.
    var filiereOf = {};
    document.querySelectorAll("#map-legend [data-colour]").forEach(function (item) {
      filiereOf[item.dataset.colour.toLowerCase()] = item.dataset.label;
    });
    function pointTitle(colour) {
      var filiere = filiereOf[(colour || "").toLowerCase()];
      return filiere ? format(element.dataset.labelPoint, { filiere: filiere }) : element.dataset.labelPointUnknown;
    }

    // A point's popup is filled when it opens; each actor's details are asked once.
    var details = {};
    function pointDetails(id) {
      if (!details[id]) {
        var url = element.dataset.pointEndpoint.replace(/\/0\/$/, "/" + id + "/");
        details[id] = fetch(url, { headers: { Accept: "application/json" } }).then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        });
        details[id].catch(function () { delete details[id]; });
      }
      return details[id];
    }

    function pointMarker(id, latlng, colour) {
      var marker = L.marker(latlng, { icon: dot(colour), title: pointTitle(colour), keyboard: true });
      marker.bindPopup(messageBox(element.dataset.labelLoading));
      marker.on("popupopen", function (event) {
        pointDetails(id).then(
          function (props) {
            event.popup.setContent(popupContent(props));
            // Once known, the name is what the marker says on hover and to screen readers.
            marker.options.title = props.name;
            var icon = marker.getElement();
            if (icon) icon.title = props.name;
          },
          function () { event.popup.setContent(messageBox(element.dataset.labelPointError)); }
        );
      });
      return marker;
    }

    // Point markers by id: a reload keeps the markers still in view, so an open popup
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
        } else if (pointMarkers[props.id]) {
          kept[props.id] = pointMarkers[props.id];
        } else {
          kept[props.id] = pointMarker(props.id, [lat, lon], props.colour);
          added.push(kept[props.id]);
        }
      });
      var gone = Object.keys(pointMarkers)
        .filter(function (id) { return !kept[id]; })
        .map(function (id) { return pointMarkers[id]; });
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
      var params = filterParams(form);
      params.set("bbox", bboxOf(map));
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

    function hasSize() {
      return element.clientWidth > 0 && element.clientHeight > 0;
    }

    // Show an area without telling the list, which already shows it.
    function showArea(bounds) {
      if (!hasSize()) {
        pendingArea = bounds;
        return;
      }
      pendingArea = null;
      quiet = true;
      map.fitBounds(bounds, { animate: false });
      quiet = false;
    }

    // "Me" (a point found by the browser or typed) and the radius around it.
    var nearShown = null;
    function drawNear() {
      var near = form ? form.elements.near.value : "";
      var km = form ? Number(form.elements.radius_km.value) : 0;
      var key = near + "/" + km;
      if (key === nearShown) return null;
      nearShown = key;
      nearLayer.clearLayers();
      var latlng = near ? near.split(",").map(Number) : null;
      if (!latlng || latlng.length !== 2 || latlng.some(isNaN)) return null;
      var circle = L.circle(latlng, { radius: km * 1000, className: "map-radius", interactive: false });
      var me = L.divIcon({ html: "<span class=\"map-me\"></span>", className: "", iconSize: [20, 20] });
      nearLayer.addLayer(circle);
      nearLayer.addLayer(L.marker(latlng, {
        icon: me, title: element.dataset.labelNear, keyboard: false, interactive: false,
      }));
      return circle;
    }

    document.addEventListener("directory:filters", function () {
      drawNear();
      scheduleLoad();
    });
    document.addEventListener("directory:restore", function (event) {
      drawNear();
      var area = parseBbox(event.detail && event.detail.bbox);
      if (area) showArea(area);
      scheduleLoad();
    });
    document.addEventListener("directory:near", function () {
      var circle = drawNear();
      // Not quiet: when the list follows the map, it follows it there too.
      if (circle && hasSize()) map.fitBounds(circle.getBounds(), { animate: false });
      else if (circle) pendingArea = circle.getBounds();
    });
    document.addEventListener("directory:view", function (event) {
      if (event.detail.view !== "map") return;
      map.invalidateSize({ pan: false });
      if (pendingArea) showArea(pendingArea);
    });

    // The first view: the URL's area when the list follows the map, else the area around
    // "me", else the territory. Set before listening to moves: the first load follows.
    map.setView(center, Number(element.dataset.zoom));
    var area = form ? parseBbox(form.elements.bbox.value) : null;
    var circle = drawNear();
    if (area) showArea(area);
    else if (circle) showArea(circle.getBounds());
    element.dataset.bbox = bboxOf(map);
    map.on("moveend", function () {
      element.dataset.bbox = bboxOf(map);
      scheduleLoad();
      if (!quiet && hasSize()) {
        document.dispatchEvent(new CustomEvent("directory:mapmoved", { detail: { bbox: element.dataset.bbox } }));
      }
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
