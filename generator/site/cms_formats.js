/* stationsite: how Decap CMS reads and writes our content files (loaded after decap-cms.js).
 *
 * Decap edits only files whose top level is a mapping; activities.yml and results.yml are lists.
 * "stationsite-list" wraps a list as {items: [...]} for the form and unwraps it on save.
 * All three formats parse with js-yaml's core schema (2026-11-24 stays text, as our checker reads
 * it), drop empty optional values (the checker refuses '' and null where a value is optional but
 * must not be blank), keep the file's leading comment block, and write the layout of the
 * hand-written files (see dump below). Other comments are not kept: see docs/guide/forms.md.
 */
(function () {
  "use strict";
  var SCHEMA = { schema: jsyaml.CORE_SCHEMA };
  var DUMP = { schema: jsyaml.CORE_SCHEMA, lineWidth: -1, noRefs: true, quotingType: '"' };
  var HEADER = "_header";

  function isEmpty(v) {
    if (v === null || v === undefined || v === "") return true;
    if (typeof v === "number" && isNaN(v)) return true;
    if (Array.isArray(v)) return v.length === 0;
    if (typeof v === "object") return Object.keys(v).length === 0;
    return false;
  }

  function clean(v) {
    if (Array.isArray(v)) {
      return v.map(clean).filter(function (x) { return !isEmpty(x); });
    }
    if (v && typeof v === "object") {
      var out = {};
      Object.keys(v).forEach(function (k) {
        if (k === HEADER) return;
        var c = clean(v[k]);
        // `counts: {}` is a month reported with nothing to count (the hub without a training):
        // kept, since a month without counts would read as not reported.
        if (!isEmpty(c) || k === "counts") out[k] = c;
      });
      return out;
    }
    return v;
  }

  function leadingComments(text) {
    var m = /^(?:[ \t]*(?:#[^\n]*)?\r?\n)*/.exec(text || "");
    return m ? m[0] : "";
  }

  // Written in the layout of the hand-written files, so a saved form changes only what was
  // edited: short lists and mappings on one line ({days: [mon, tue], open: "08:30"}), the items of
  // a file's top-level list as blocks, times and phone numbers in quotes.
  var FLOW_MAX = 72;
  var QUOTED = /^(?:\d{1,2}:\d{2}|0\d{2,3}-\d{7,8}(?:-\d{1,5})?)$/;
  var FLOW_UNSAFE = /[,\[\]{}#:&*!|>'"%@`]/;

  function isScalar(v) {
    return v === null || typeof v !== "object";
  }

  function values(v) {
    return Array.isArray(v) ? v : Object.keys(v).map(function (k) { return v[k]; });
  }

  function scalar(v, inFlow, pad) {
    if (typeof v === "string") {
      if (QUOTED.test(v)) return '"' + v + '"';
      if (inFlow && FLOW_UNSAFE.test(v)) return JSON.stringify(v);
    }
    var text = jsyaml.dump(v, DUMP).replace(/\n$/, "");
    if (text.indexOf("\n") < 0) return text;
    // A multi-line text: a block scalar, indented under its key.
    return inFlow ? JSON.stringify(v) : text.replace(/\n/g, "\n" + pad);
  }

  function flow(v) {
    if (isScalar(v)) return scalar(v, true, "");
    if (Array.isArray(v)) return "[" + v.map(flow).join(", ") + "]";
    return "{" + Object.keys(v).map(function (k) { return k + ": " + flow(v[k]); }).join(", ") + "}";
  }

  function oneLine(v, depth, topItem) {
    if (depth === 0 || topItem) return false;
    if (flow(v).length <= FLOW_MAX) return true;
    // results.yml's counts: one line however many indicators, as clerks write them.
    return !Array.isArray(v) && values(v).every(function (x) { return typeof x === "number"; });
  }

  function block(v, pad, depth) {
    var out = "";
    var inner = pad + "  ";
    if (Array.isArray(v)) {
      v.forEach(function (item) {
        if (isScalar(item)) out += pad + "- " + scalar(item, false, inner) + "\n";
        else if (oneLine(item, depth + 1, depth === 0)) out += pad + "- " + flow(item) + "\n";
        else out += pad + "- " + block(item, inner, depth + 1).slice(inner.length);
      });
      return out;
    }
    Object.keys(v).forEach(function (k) {
      var val = v[k];
      if (isScalar(val)) out += pad + k + ": " + scalar(val, false, inner) + "\n";
      else if (oneLine(val, depth + 1, false)) out += pad + k + ": " + flow(val) + "\n";
      else out += pad + k + ":\n" + block(val, inner, depth + 1);
    });
    return out;
  }

  function dump(value, header) {
    var empty = isScalar(value) || values(value).length === 0;
    return (header || "") + (empty ? (Array.isArray(value) ? "[]\n" : "{}\n") : block(value, "", 0));
  }

  CMS.registerCustomFormat("stationsite-map", "yml", {
    fromFile: function (text) {
      var data = jsyaml.load(text, SCHEMA) || {};
      data[HEADER] = leadingComments(text);
      return data;
    },
    toFile: function (data) {
      return dump(clean(data), data[HEADER]);
    },
  });

  CMS.registerCustomFormat("stationsite-list", "yml", {
    fromFile: function (text) {
      var items = jsyaml.load(text, SCHEMA) || [];
      var data = { items: items };
      data[HEADER] = leadingComments(text);
      return data;
    },
    toFile: function (data) {
      return dump(clean(data.items || []), data[HEADER]);
    },
  });

  var FRONT = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)([\s\S]*)$/;

  CMS.registerCustomFormat("stationsite-frontmatter", "md", {
    fromFile: function (text) {
      var m = FRONT.exec(text);
      if (!m) return { body: text };
      var data = jsyaml.load(m[1], SCHEMA) || {};
      data.body = m[2];
      return data;
    },
    toFile: function (data) {
      var meta = clean(data);
      var body = meta.body || "";
      delete meta.body;
      return "---\n" + dump(meta, "") + "---\n" + body;
    },
  });
})();
