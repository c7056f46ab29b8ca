// wirewatch dashboard.  Everything that comes from the database (headlines, evidence, notes, actor
// names, places) is untrusted text: it enters the page only through textContent / DOM nodes, never
// through HTML parsing, and the page's Content-Security-Policy forbids inline script.
(function () {
  "use strict";

  var TYPE_COLOURS = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#9467bd",
    "Protests": "#2ca02c",
    "Riots": "#8c564b",
    "Strategic developments": "#7f7f7f",
    "Displacement": "#17becf"
  };
  var PRECISION = { 1: "exact place", 2: "near / part of the place", 3: "province or region only" };

  var FILTERS = ["date_from", "date_to", "country", "admin1", "event_type", "sub_event_type", "actor", "min_fatalities", "q"];
  var state = { meta: null, cursor: null, selected: null, mapTimer: null, mapSeq: 0, listSeq: 0 };

  // -- DOM helpers (text only) ---------------------------------------------------------------
  function el(tag, props) {
    var node = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (k) {
        if (k === "text") node.textContent = props[k] == null ? "" : String(props[k]);
        else if (k === "cls") node.className = props[k];
        else if (k === "dataset") Object.keys(props[k]).forEach(function (d) { node.dataset[d] = props[k][d]; });
        else node.setAttribute(k, props[k]);
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c == null) continue;
      node.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
    }
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function $(id) { return document.getElementById(id); }
  function colour(type) { return TYPE_COLOURS[type] || "#333"; }
  function status(msg) { $("status").textContent = msg || ""; }

  function sendJSON(url, body, token) {
    return fetch(url, {
      method: "POST", credentials: "omit",
      headers: { "Accept": "application/json", "Content-Type": "application/json", "Authorization": "Bearer " + token },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (b) {
        if (!r.ok || b.ok === false) throw new Error((b && b.error) || ("HTTP " + r.status));
        return b;
      });
    });
  }

  function getJSON(url) {
    return fetch(url, { headers: { "Accept": "application/json" } }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok || body.ok === false) throw new Error((body && body.error) || ("HTTP " + r.status));
        return body;
      });
    });
  }

  // -- filters ----------------------------------------------------------------------------------
  function filterParams(withView) {
    var p = new URLSearchParams();
    var form = $("filters");
    FILTERS.forEach(function (name) {
      var v = form.elements[name].value.trim();
      if (v !== "") p.set(name, v);
    });
    if (withView && $("f-in-view").checked) p.set("bbox", bboxOf(map.getBounds()));
    return p;
  }
  function bboxOf(b) {
    var w = Math.max(-180, b.getWest()), e = Math.min(180, b.getEast());
    var s = Math.max(-90, b.getSouth()), n = Math.min(90, b.getNorth());
    if (b.getEast() - b.getWest() >= 360) { w = -180; e = 180; }
    return [w, s, e, n].map(function (x) { return x.toFixed(4); }).join(",");
  }

  // The address bar holds the view (filters, "only in view" with the map's centre and zoom, the open
  // event): a copied link opens the same view.
  function viewParams() {
    var p = filterParams(false);
    if ($("f-in-view").checked) {
      var c = map.getCenter();
      p.set("in_view", "1");
      p.set("at", [c.lat.toFixed(4), c.lng.toFixed(4), map.getZoom()].join(","));
    }
    if (state.selected) p.set("event", state.selected);
    return p;
  }
  function syncUrl() {
    var q = viewParams().toString();
    history.replaceState(null, "", location.pathname + (q ? "?" + q : ""));
    var filters = filterParams(true).toString();
    $("dl-csv").href = "/api/export?format=acled" + (filters ? "&" + filters : "");
    $("dl-geojson").href = "/api/export?format=geojson" + (filters ? "&" + filters : "");
  }
  function restoreFromUrl() {
    var p = new URLSearchParams(location.search);
    var form = $("filters");
    FILTERS.forEach(function (name) {
      var v = p.get(name);
      if (v == null) return;
      var field = form.elements[name];
      if (field.tagName === "SELECT" && !Array.prototype.some.call(field.options, function (o) { return o.value === v; })) {
        field.appendChild(el("option", { value: v, text: v }));
      }
      field.value = v;
    });
    $("f-in-view").checked = p.get("in_view") === "1";
    var at = (p.get("at") || "").split(",").map(Number);
    if (at.length === 3 && at.every(isFinite)) map.setView([at[0], at[1]], at[2], { animate: false });
    return { event: p.get("event"), fit: !p.get("at") };
  }
  function anyFilter() { return filterParams(false).toString() !== ""; }
  // Fit the map to the filtered events (not when the view itself is a filter).
  function fitToFilter() {
    if ($("f-in-view").checked || !anyFilter()) return Promise.resolve();
    var p = filterParams(false);
    p.set("max_points", "2000");
    return getJSON("/api/map?" + p.toString()).then(function (body) {
      var pts = (body.mode === "points" ? body.points : body.clusters).map(function (x) { return [x.latitude, x.longitude]; });
      if (!pts.length) return;
      var bounds = L.latLngBounds(pts);
      map.fitBounds(bounds.pad(0.3), { maxZoom: 8, animate: false });
      $("map").dataset.fitted = bounds.toBBoxString();
    }).catch(function (e) { status("map: " + e.message); });
  }

  function fillSelect(select, options) {
    options.forEach(function (o) { select.appendChild(el("option", { value: o.value, text: o.label })); });
  }

  function setupFilters(meta) {
    fillSelect($("f-country"), meta.countries.map(function (c) {
      return { value: c.code, label: (c.name || c.code) + " (" + c.events + ")" };
    }));
    var types = {};
    meta.types.forEach(function (t) { (types[t.event_type] = types[t.event_type] || []).push(t.sub_event_type); });
    fillSelect($("f-event-type"), Object.keys(types).map(function (t) { return { value: t, label: t }; }));
    var allSubs = [];
    Object.keys(types).forEach(function (t) { types[t].forEach(function (s) { allSubs.push({ value: s, label: s }); }); });
    fillSelect($("f-sub-event-type"), allSubs);
    var list = $("actor-list");
    meta.actors.forEach(function (a) { list.appendChild(el("option", { value: a.name })); });

    $("filters").addEventListener("submit", function (e) { e.preventDefault(); refresh(true); });
    $("filters").addEventListener("reset", function () { setTimeout(function () { refresh(true); }, 0); });
    ["f-country", "f-event-type", "f-sub-event-type", "f-in-view"].forEach(function (id) {
      $(id).addEventListener("change", function () { refresh(true); });
    });
  }

  // -- map ----------------------------------------------------------------------------------------
  var map = L.map("map", { worldCopyJump: true, minZoom: 1, maxZoom: 14, preferCanvas: false }).setView([20, 20], 2);
  map.attributionControl.setPrefix("Leaflet");
  map.attributionControl.addAttribution("Natural Earth; places: GeoNames (CC BY 4.0)");
  var basemap = L.geoJSON(null, {
    interactive: false,
    style: function () { return { color: "#8c8c8c", weight: 0.7, fillColor: "#f1efe6", fillOpacity: 1 }; }
  }).addTo(map);
  var clusters = L.markerClusterGroup({ maxClusterRadius: 40, chunkedLoading: true, showCoverageOnHover: false });
  var gridLayer = L.layerGroup();
  map.addLayer(clusters);
  map.addLayer(gridLayer);

  // A ring that straddles the antimeridian (Fiji, Chukotka) would be drawn as a band across the whole
  // map: move its western-hemisphere points east by 360° so it stays one small shape.
  function unwrapRing(ring) {
    var far = ring.every(function (pt) { return Math.abs(pt[0]) > 90; });
    var east = ring.some(function (pt) { return pt[0] > 0; }), west = ring.some(function (pt) { return pt[0] < 0; });
    if (!(far && east && west)) return ring;
    return ring.map(function (pt) { return pt[0] < 0 ? [pt[0] + 360, pt[1]] : pt; });
  }
  function unwrap(geometry) {
    if (geometry.type === "Polygon") geometry.coordinates = geometry.coordinates.map(unwrapRing);
    else if (geometry.type === "MultiPolygon") {
      geometry.coordinates = geometry.coordinates.map(function (poly) { return poly.map(unwrapRing); });
    }
  }

  getJSON("/static/vendor/world-atlas/countries-110m.json").then(function (topo) {
    var countries = topojson.feature(topo, topo.objects.countries);
    countries.features.forEach(function (f) { if (f.geometry) unwrap(f.geometry); });
    basemap.addData(countries);
    basemap.bringToBack();
  }).catch(function (e) { status("basemap: " + e.message); });

  function legend() {
    var box = el("div", { cls: "legend" });
    Object.keys(TYPE_COLOURS).forEach(function (t) {
      var sw = el("span", { cls: "swatch" });
      sw.style.background = colour(t);
      box.appendChild(el("div", null, sw, t));
    });
    box.appendChild(el("div", null, el("span", { cls: "ring" }), "approximate place (precision 2–3)"));
    box.appendChild(el("div", { cls: "muted" }, "size: fatalities"));
    return box;
  }
  var legendControl = L.control({ position: "bottomleft" });
  legendControl.onAdd = legend;
  legendControl.addTo(map);

  function pointTooltip(p) {
    return function () {
      return el("div", null,
        el("strong", { text: p.event_type }), el("br"),
        (p.location || "") + (p.event_date ? " · " + p.event_date : ""), el("br"),
        "fatalities: " + p.fatalities + (p.geo_precision > 1 ? " · " + PRECISION[p.geo_precision] : ""));
    };
  }

  function drawPoints(points) {
    var layers = points.map(function (p) {
      var r = 4 + Math.min(16, Math.sqrt(p.fatalities || 0) * 2);
      var approx = p.geo_precision && p.geo_precision > 1;
      var m = L.circleMarker([p.latitude, p.longitude], {
        radius: approx ? r + 3 : r,
        color: colour(p.event_type),
        weight: approx ? 2 : 1,
        dashArray: approx ? "4 3" : null,
        fillColor: colour(p.event_type),
        fillOpacity: approx ? 0.1 : 0.75,
        className: "event-marker" + (approx ? " approx" : "")
      });
      m.bindTooltip(pointTooltip(p));
      m.on("click", function () { openDetail(p.id); });
      return m;
    });
    clusters.addLayers(layers);
  }

  function drawGrid(cells) {
    cells.forEach(function (c) {
      var size = 16 + Math.min(22, Math.log(c.count + 1) * 3);
      var label = el("div", { cls: "grid-cluster", text: c.count });
      label.style.width = label.style.height = size + "px";
      var icon = L.divIcon({ html: label, className: "", iconSize: [size, size] });
      var m = L.marker([c.latitude, c.longitude], { icon: icon });
      m.bindTooltip(function () { return el("div", null, c.count + " events, " + c.fatalities + " fatalities"); });
      m.on("click", function () { map.setView([c.latitude, c.longitude], Math.min(map.getZoom() + 2, 14)); });
      gridLayer.addLayer(m);
    });
  }

  function loadMap() {
    var p = filterParams(false);
    p.set("bbox", bboxOf(map.getBounds()));
    p.set("max_points", "2000");
    var seq = ++state.mapSeq;
    return getJSON("/api/map?" + p.toString()).then(function (body) {
      if (seq !== state.mapSeq) return;
      clusters.clearLayers();
      gridLayer.clearLayers();
      if (body.mode === "points") drawPoints(body.points); else drawGrid(body.clusters);
      var n = body.mode === "points" ? body.points.length : body.clusters.length;
      $("map").dataset.mode = body.mode;
      $("map").dataset.items = String(n);
    }).catch(function (e) { status("map: " + e.message); });
  }
  map.on("moveend", function () {
    clearTimeout(state.mapTimer);
    state.mapTimer = setTimeout(function () {
      loadMap();
      if ($("f-in-view").checked) { loadTable(false); loadTimeline(); syncUrl(); }
    }, 250);
  });

  // -- timeline -----------------------------------------------------------------------------------
  var SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs) {
    var n = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { n.setAttribute(k, attrs[k]); });
    return n;
  }
  function loadTimeline() {
    var p = filterParams(true);
    p.set("by", "day");
    p.set("limit", "5000");
    return getJSON("/api/aggregates?" + p.toString()).then(function (body) {
      state.buckets = body.buckets.filter(function (b) { return b.key; });
      drawTimeline();
    }).catch(function (e) { status("timeline: " + e.message); });
  }
  function drawTimeline() {
    var box = $("timeline");
    clear(box);
    var buckets = state.buckets || [];
    $("timeline-range").textContent = buckets.length ? "(" + buckets[0].key + " – " + buckets[buckets.length - 1].key + ")" : "(no dated events)";
    if (!buckets.length) return;
    var w = box.getBoundingClientRect().width || 800, h = 68, pad = 14;
    var first = Date.parse(buckets[0].key), last = Date.parse(buckets[buckets.length - 1].key);
    var days = Math.max(1, Math.round((last - first) / 86400000) + 1);
    var bw = Math.max(1, (w - 4) / days);
    var max = Math.max.apply(null, buckets.map(function (b) { return b.events; }));
    buckets.forEach(function (b) {
      var i = Math.round((Date.parse(b.key) - first) / 86400000);
      var bh = Math.max(1, (h - pad) * b.events / max);
      var rect = svg("rect", { "class": "bar", x: 2 + i * bw, y: h - pad - bh, width: Math.max(1, bw - (bw > 3 ? 1 : 0)), height: bh });
      var title = svg("title");
      title.textContent = b.key + ": " + b.events + " events, " + b.fatalities + " fatalities";
      rect.appendChild(title);
      rect.addEventListener("click", function () {
        $("f-date-from").value = b.key;
        $("f-date-to").value = b.key;
        refresh();
      });
      box.appendChild(rect);
    });
    var t1 = svg("text", { x: 2, y: h - 2 }); t1.textContent = buckets[0].key;
    var t2 = svg("text", { x: w - 2, y: h - 2, "text-anchor": "end" }); t2.textContent = buckets[buckets.length - 1].key;
    box.appendChild(t1); box.appendChild(t2);
    $("timeline-range").textContent += " · busiest day " + max + " events";
  }
  // the detail panel opening or the window resizing changes the chart's width: draw it again
  if (window.ResizeObserver) {
    var lastWidth = 0;
    new ResizeObserver(function () {
      var w = Math.round($("timeline").getBoundingClientRect().width);
      if (w !== lastWidth) { lastWidth = w; drawTimeline(); }
    }).observe($("timeline"));
  }

  // -- table ----------------------------------------------------------------------------------------
  function actorsOf(e) { return [e.actor1, e.actor2].filter(Boolean).join(" vs "); }
  function loadTable(append) {
    var p = filterParams(true);
    p.set("limit", "100");
    if (append && state.cursor) p.set("cursor", state.cursor);
    if (!append) p.set("count", "true");
    var seq = ++state.listSeq;
    return getJSON("/api/events?" + p.toString()).then(function (body) {
      if (seq !== state.listSeq) return;
      var tbody = $("events-body");
      if (!append) clear(tbody);
      body.events.forEach(function (e) {
        var sw = el("span", { cls: "swatch" });
        sw.style.background = colour(e.event_type);
        var loc = (e.location || "") + (e.geo_precision > 1 ? " (approx.)" : "");
        var tr = el("tr", { dataset: { id: e.id } },
          el("td", { cls: "date", text: e.event_date || "undated" }),
          el("td", null, sw, e.event_type),
          el("td", { text: e.sub_event_type }),
          el("td", { text: loc }),
          el("td", { text: e.country || e.country_code || "" }),
          el("td", { text: actorsOf(e) }),
          el("td", { cls: "num", text: e.fatalities }),
          el("td", { cls: "num", text: e.n_sources }));
        tr.addEventListener("click", function () { openDetail(e.id); });
        tbody.appendChild(tr);
      });
      state.cursor = body.next_cursor;
      $("more").hidden = !body.next_cursor;
      if (body.count !== undefined) $("summary").textContent = summaryText(body.count);
    }).catch(function (e) { status("events: " + e.message); });
  }
  $("more").addEventListener("click", function () { loadTable(true); });

  function summaryText(matching) {
    var m = state.meta;
    return matching + " of " + m.events + " events · " + m.articles + " articles" +
      (m.first_date ? " · " + m.first_date + " – " + m.last_date : "");
  }

  // -- detail ---------------------------------------------------------------------------------------
  function figure(c) {
    if (c.low == null && c.high == null) return "?";
    if (c.low === c.high || c.high == null) return String(c.low);
    if (c.low == null) return "≤ " + c.high;
    return c.low + "–" + c.high;
  }
  function safeLink(url, text) {
    if (typeof url === "string" && /^https?:\/\//i.test(url)) {
      return el("a", { href: url, rel: "noopener noreferrer", target: "_blank", text: text });
    }
    return el("span", { text: text });
  }
  function evidenceNode(ev, sourcesById) {
    var box = el("blockquote", { cls: "evidence" });
    var text = ev.text, pos = 0;
    (ev.highlights || []).forEach(function (h) {
      if (h.start > pos) box.appendChild(document.createTextNode(text.slice(pos, h.start)));
      box.appendChild(el("mark", { cls: "claim q-" + h.quantity, title: h.quantity + " — source: " + (h.source || "not attributed"), dataset: { claim: String(h.claim) } },
        text.slice(h.start, h.end)));
      box.appendChild(el("span", { cls: "claim-source", text: "[" + (h.source || "source not named") + "]" }));
      pos = h.end;
    });
    if (pos < text.length) box.appendChild(document.createTextNode(text.slice(pos)));
    var src = sourcesById[ev.article_id];
    var open = el("button", { type: "button", cls: "linkish article-link", title: "read the whole article",
      text: src ? [src.agency, src.published, src.headline].filter(Boolean).join(" · ") : ev.article_id });
    open.addEventListener("click", function () { showArticle(ev.article_id, ev.start, ev.end); });
    box.appendChild(el("span", { cls: "from" }, "— ", open));
    return box;
  }
  function renderDetail(e) {
    var body = $("detail-body");
    clear(body);
    var sourcesById = {};
    e.sources.forEach(function (s) { sourcesById[s.article_id] = s; });
    var sw = el("span", { cls: "swatch" });
    sw.style.background = colour(e.event_type);
    body.appendChild(el("h2", null, sw, e.event_type + " — " + e.sub_event_type));
    if (e.notes) body.appendChild(el("p", { cls: "notes", text: e.notes }));
    var when = e.event_date || "undated";
    if (e.date_start && e.date_end && e.date_start !== e.date_end) when += " (between " + e.date_start + " and " + e.date_end + ")";
    var where = [e.location, e.admin2, e.admin1, e.country].filter(Boolean).join(", ");
    var dl = el("dl");
    [["Date", when],
     ["Place", where || "unknown"],
     ["Precision", e.geo_precision ? PRECISION[e.geo_precision] : "—"],
     ["Actor 1", [e.actor1, e.assoc_actor_1].filter(Boolean).join("; ") || "—"],
     ["Actor 2", [e.actor2, e.assoc_actor_2].filter(Boolean).join("; ") || "—"],
     ["Fatalities", e.fatalities + (e.fatalities_low != null ? " (range " + e.fatalities_low + "–" + e.fatalities_high + ", best " + e.fatalities_best + ")" : "")]
    ].forEach(function (row) { dl.appendChild(el("dt", { text: row[0] })); dl.appendChild(el("dd", { text: row[1] })); });
    body.appendChild(dl);

    var claimsTitle = el("h3", { text: "Claims" });
    body.appendChild(claimsTitle);
    var ul = el("ul", { cls: "claims" });
    var seen = {};
    e.claims.forEach(function (c, i) {
      // the same figure from the same source in the same report (a claim found twice) is listed once
      var key = [c.quantity, c.low, c.high, c.qualifier, c.source, c.article_id].join("|");
      if (seen[key]) return;
      seen[key] = true;
      var src = sourcesById[c.article_id];
      ul.appendChild(el("li", { dataset: { claim: String(i) } },
        el("strong", { text: c.quantity + " " + figure(c) }),
        c.qualifier ? " (" + c.qualifier + ")" : "",
        " — according to ", el("em", { cls: "claim-source-name", text: c.source || "not attributed" }),
        src ? el("span", { cls: "muted", text: " · " + [src.agency, src.published].filter(Boolean).join(", ") }) : null));
    });
    if (!e.claims.length) ul.appendChild(el("li", { cls: "muted", text: "no figures reported" }));
    claimsTitle.textContent = "Claims (" + ul.querySelectorAll("li[data-claim]").length + ")";
    body.appendChild(ul);

    body.appendChild(el("h3", { text: "Evidence" }));
    e.evidence.forEach(function (ev) { body.appendChild(evidenceNode(ev, sourcesById)); });

    body.appendChild(el("h3", { text: "Reports (" + e.sources.length + ")" }));
    var sl = el("ul", { cls: "sources" });
    e.sources.forEach(function (s) {
      sl.appendChild(el("li", null, safeLink(s.url, s.headline || s.article_id),
        el("span", { cls: "muted", text: " · " + [s.agency, s.published].filter(Boolean).join(", ") })));
    });
    body.appendChild(sl);
    body.appendChild(el("div", { id: "article-view", hidden: "hidden" }));
    if (state.meta && state.meta.review) body.appendChild(reviewForm(e));
    body.appendChild(el("p", { cls: "muted", text: "event id " + e.id }));
  }
  function showArticle(id, start, end) {
    return getJSON("/api/articles/" + encodeURIComponent(id)).then(function (body) {
      var a = body.article, box = $("article-view"), text = a.body || "";
      clear(box);
      box.appendChild(el("strong", { text: a.headline || a.id }));
      box.appendChild(el("div", { cls: "muted", text: [a.agency, a.dateline, a.published].filter(Boolean).join(" · ") }));
      var p = el("p");
      if (start != null && end != null && end <= text.length) {
        p.appendChild(document.createTextNode(text.slice(0, start)));
        p.appendChild(el("mark", { text: text.slice(start, end) }));
        p.appendChild(document.createTextNode(text.slice(end)));
      } else p.textContent = text;
      box.appendChild(p);
      box.hidden = false;
      box.scrollIntoView({ block: "nearest" });
    }).catch(function (e) { status("article: " + e.message); });
  }

  // -- review (only when the server has a review token) --------------------------------------------
  function reviewForm(e) {
    var box = el("div", { cls: "review", id: "review" }, el("h3", { text: "Review" }));
    var token = el("input", { type: "password", id: "r-token", autocomplete: "off", placeholder: "review token" });
    token.value = sessionStorage.getItem("wirewatch-review-token") || "";
    var who = el("input", { type: "text", id: "r-by", placeholder: "your name" });
    who.value = sessionStorage.getItem("wirewatch-reviewer") || "";
    var why = el("input", { type: "text", id: "r-why", placeholder: "why" });
    box.appendChild(el("label", null, "Token ", token));
    box.appendChild(el("label", null, "By ", who));
    box.appendChild(el("label", null, "Why ", why));
    var fields = [["event_type", e.event_type], ["sub_event_type", e.sub_event_type], ["actor1", e.actor1],
                  ["actor2", e.actor2], ["event_date", e.event_date], ["fatalities", e.fatalities],
                  ["location", e.location], ["admin1", e.admin1]];
    var inputs = {};
    fields.forEach(function (f) {
      var input = el("input", { type: "text", id: "r-" + f[0].replace(/_/g, "-") });
      input.value = f[1] == null ? "" : String(f[1]);
      input.dataset.original = input.value;
      inputs[f[0]] = input;
      box.appendChild(el("label", null, f[0].replace(/_/g, " ") + " ", input));
    });
    function send(action, extra) {
      sessionStorage.setItem("wirewatch-review-token", token.value);
      sessionStorage.setItem("wirewatch-reviewer", who.value);
      var body = { action: action, reviewer: who.value.trim(), reason: why.value.trim() };
      Object.keys(extra || {}).forEach(function (k) { body[k] = extra[k]; });
      return sendJSON("/api/events/" + encodeURIComponent(e.id) + "/review", body, token.value).then(function () {
        if (action === "reject") { $("detail").hidden = true; state.selected = null; }
        return refresh(false).then(function () {
          status(action + " saved");
          if (state.selected) return openDetail(state.selected);
        });
      }).catch(function (err) { status("review: " + err.message); });
    }
    var buttons = el("div", { cls: "buttons" });
    [["Accept", "accept"], ["Reject", "reject"], ["Save edits", "edit"]].forEach(function (b) {
      var button = el("button", { type: "button", id: "r-" + b[1], text: b[0] });
      button.addEventListener("click", function () {
        if (b[1] !== "edit") return send(b[1]);
        var changed = {};
        Object.keys(inputs).forEach(function (k) {
          if (inputs[k].value !== inputs[k].dataset.original) changed[k] = inputs[k].value;
        });
        if (!Object.keys(changed).length) { status("review: nothing changed"); return; }
        return send("edit", { fields: changed });
      });
      buttons.appendChild(button);
    });
    box.appendChild(buttons);
    return box;
  }
  function openDetail(id) {
    state.selected = id;
    Array.prototype.forEach.call(document.querySelectorAll("#events-body tr"), function (tr) {
      tr.classList.toggle("selected", tr.dataset.id === id);
    });
    return getJSON("/api/events/" + encodeURIComponent(id)).then(function (body) {
      if (state.selected !== id) return;
      renderDetail(body.event);
      $("detail").hidden = false;
      $("detail").dataset.eventId = id;
      syncUrl();
      map.invalidateSize();
    }).catch(function (e) { status("event: " + e.message); });
  }
  $("detail-close").addEventListener("click", function () {
    $("detail").hidden = true;
    state.selected = null;
    syncUrl();
    map.invalidateSize();
  });

  // -- start -----------------------------------------------------------------------------------------
  function refresh(fit) {
    status("");
    state.cursor = null;
    syncUrl();
    return (fit ? fitToFilter() : Promise.resolve()).then(function () {
      return Promise.all([loadMap(), loadTimeline(), loadTable(false)]);
    }).then(function () {
      document.body.dataset.ready = String(Number(document.body.dataset.ready || 0) + 1);
    });
  }

  getJSON("/api/meta").then(function (meta) {
    state.meta = meta;
    if (meta.tile_url) {
      L.tileLayer(meta.tile_url, { maxZoom: 18, attribution: "tiles as configured" }).addTo(map);
      basemap.setStyle({ fillOpacity: 0 });
    }
    $("summary").textContent = summaryText(meta.events);
    setupFilters(meta);
    var start = restoreFromUrl();
    return refresh(start.fit).then(function () { if (start.event) openDetail(start.event); });
  }).catch(function (e) { status("could not load: " + e.message); });
})();
