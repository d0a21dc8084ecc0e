/* The catalogue's map: the points of the filtered listings (the page's own filters, read
   from the GeoJSON endpoint in data-endpoint), offers and needs in two colours, a popup
   with the title linking to the listing. No inline script: configuration comes from
   json_script blocks and data attributes. The list beside it is the accessible equivalent. */
(function () {
  "use strict";

  function readJSON(id, fallback) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : fallback;
  }

  function format(text, values) {
    return (text || "").replace(/%\((\w+)\)s/g, function (match, key) {
      return key in values ? values[key] : match;
    });
  }

  var element = document.querySelector("[data-catalogue-map]");
  if (!element || typeof L === "undefined") {
    return;
  }
  var config = readJSON("map-config", { tilesUrl: "", tilesAttribution: "" });
  var labels = readJSON("map-labels", {});
  var status = document.querySelector("[data-map-status]");
  var center = (element.dataset.center || "47.218,-1.554").split(",").map(Number);

  var map = L.map(element, { maxZoom: 18, minZoom: 3 }).setView(center, Number(element.dataset.zoom) || 10);
  if (config.tilesUrl) {
    L.tileLayer(config.tilesUrl, { maxZoom: 18, attribution: config.tilesAttribution }).addTo(map);
  }

  function say(text) {
    if (status) {
      status.textContent = text || "";
    }
  }

  function popup(props) {
    var box = document.createElement("div");
    box.className = "map-popup";
    var kind = document.createElement("p");
    kind.className = "meta";
    kind.textContent = labels[props.kind] || "";
    box.appendChild(kind);
    var link = document.createElement("a");
    link.href = props.url;
    link.textContent = props.title;
    box.appendChild(link);
    return box;
  }

  var layer = L.geoJSON(null, {
    pointToLayer: function (feature, latlng) {
      var need = feature.properties.kind === "need";
      return L.circleMarker(latlng, {
        radius: 7,
        weight: 2,
        color: need ? "#7a3b00" : "#0b5d4b",
        fillColor: need ? "#e07b00" : "#15a085",
        fillOpacity: 0.85
      });
    },
    onEachFeature: function (feature, marker) {
      marker.bindPopup(function () {
        return popup(feature.properties);
      });
    }
  }).addTo(map);

  fetch(element.dataset.endpoint, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      return response.json();
    })
    .then(function (data) {
      layer.addData(data);
      // The page may have reflowed since the map was made (fonts, a phone's stacked layout).
      map.invalidateSize();
      if (data.features.length) {
        map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 14 });
      }
      say(data.partial ? format(labels.partial, { count: data.features.length }) : "");
    })
    .catch(function () {
      say(labels.mapError);
    });
})();
