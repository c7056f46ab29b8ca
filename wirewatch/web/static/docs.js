// The API's documentation, rendered offline from /api/openapi.json (text only, never parsed as HTML).
(function () {
  "use strict";
  function el(tag, text, cls) {
    var n = document.createElement(tag);
    if (text != null) n.textContent = String(text);
    if (cls) n.className = cls;
    return n;
  }
  function typeOf(schema, doc) {
    if (!schema) return "";
    if (schema.$ref) return schema.$ref.split("/").pop();
    if (schema.enum) return schema.enum.join(" | ");
    if (schema.anyOf) return schema.anyOf.map(function (s) { return typeOf(s, doc); }).join(" or ");
    if (schema.type === "array") return "array of " + typeOf(schema.items, doc);
    return schema.type || "";
  }
  function limits(s) {
    var parts = [];
    ["minimum", "maximum", "minLength", "maxLength", "pattern", "default"].forEach(function (k) {
      if (s && s[k] !== undefined && s[k] !== null) parts.push(k + " " + JSON.stringify(s[k]));
    });
    return parts.join(", ");
  }
  fetch("/api/openapi.json").then(function (r) { return r.json(); }).then(function (doc) {
    var main = document.getElementById("docs");
    main.textContent = "";
    main.appendChild(el("p", doc.info.description || ""));
    Object.keys(doc.paths).forEach(function (path) {
      Object.keys(doc.paths[path]).forEach(function (method) {
        var op = doc.paths[path][method];
        var sec = el("section", null, "op");
        var h = el("h2");
        h.appendChild(el("span", method, "method"));
        h.appendChild(el("span", path, "path"));
        sec.appendChild(h);
        sec.appendChild(el("p", op.summary || ""));
        var params = op.parameters || [];
        if (params.length) {
          var t = el("table");
          var head = el("tr");
          ["parameter", "in", "type", "description", "limits"].forEach(function (x) { head.appendChild(el("th", x)); });
          t.appendChild(head);
          params.forEach(function (p) {
            var tr = el("tr");
            var name = el("td"); name.appendChild(el("code", p.name + (p.required ? " *" : "")));
            tr.appendChild(name);
            tr.appendChild(el("td", p["in"]));
            tr.appendChild(el("td", typeOf(p.schema, doc)));
            tr.appendChild(el("td", p.description || (p.schema && p.schema.description) || ""));
            tr.appendChild(el("td", limits(p.schema), "muted"));
            t.appendChild(tr);
          });
          sec.appendChild(t);
        }
        if (op.requestBody) {
          var schema = op.requestBody.content["application/json"].schema;
          var name = typeOf(schema, doc);
          sec.appendChild(el("p", "JSON body: " + name));
          var def = (doc.components.schemas || {})[name];
          if (def) {
            var bt = el("table");
            Object.keys(def.properties || {}).forEach(function (k) {
              var tr = el("tr");
              var c = el("td"); c.appendChild(el("code", k + ((def.required || []).indexOf(k) >= 0 ? " *" : "")));
              tr.appendChild(c);
              tr.appendChild(el("td", typeOf(def.properties[k], doc)));
              tr.appendChild(el("td", def.properties[k].description || ""));
              bt.appendChild(tr);
            });
            sec.appendChild(bt);
          }
        }
        main.appendChild(sec);
      });
    });
  }).catch(function (e) { document.getElementById("docs").textContent = "could not load the API description: " + e.message; });
})();
