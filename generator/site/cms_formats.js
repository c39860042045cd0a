/* stationsite: how Decap CMS reads and writes our content files (loaded after decap-cms.js).
 *
 * STATIONSITE_FORMATS (written ahead of this file by generator/site/cms.py, from the declared
 * schemas) names one format per collection: its layout and where its optional records sit.
 * Decap edits only files whose top level is a mapping; activities.yml and results.yml are lists.
 * The "list" layout wraps a list as {items: [...]} for the form and unwraps it on save.
 * An optional record (an activity's repeat) is a list of at most one item in the form, since
 * Decap's object widget insists on its required sub-fields even when the object is left out:
 * repeat: {...} is read as repeat: [{...}] and written back as it was.
 * Every layout parses with js-yaml's core schema (2026-11-24 stays text, as our checker reads
 * it), drops empty optional values (the checker refuses '' and null where a value is optional but
 * must not be blank), keeps the file's leading comment block, and writes the layout of the
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

  // Calls fn(holder, key) for the value at path (EACH: every item of a list), where present.
  var EACH = "*";
  function atPath(value, path, fn) {
    if (value === null || typeof value !== "object") return;
    if (path[0] === EACH) {
      if (Array.isArray(value)) value.forEach(function (item) { atPath(item, path.slice(1), fn); });
      return;
    }
    if (Array.isArray(value) || !Object.prototype.hasOwnProperty.call(value, path[0])) return;
    if (path.length === 1) fn(value, path[0]);
    else atPath(value[path[0]], path.slice(1), fn);
  }

  function wrap(holder, key) {
    var v = holder[key];
    if (v !== null && typeof v === "object" && !Array.isArray(v)) holder[key] = [v];
  }

  // One item back to the record; more than one is left as a list for the checker to refuse.
  function unwrap(holder, key) {
    var v = holder[key];
    if (!Array.isArray(v)) return;
    if (v.length === 0) delete holder[key];
    else if (v.length === 1) holder[key] = v[0];
  }

  // Paths come outer first (in the form's shape: an inner record's path runs through its parent's
  // one item), so reading wraps parents first and writing unwraps them last.
  function toForm(value, paths) {
    paths.forEach(function (p) { atPath(value, p, wrap); });
    return value;
  }

  function fromForm(value, paths) {
    paths.slice().reverse().forEach(function (p) { atPath(value, p, unwrap); });
    return value;
  }

  function has(obj, key) {
    return Object.prototype.hasOwnProperty.call(obj, key);
  }

  // Keys in the declared order (spec from cms.py: {keys, fields, each}); keys the form does not
  // know follow in their own order. Decap's Immutable.js maps forget the order of more than 8 keys.
  function ordered(value, spec) {
    if (!spec || value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) {
      return spec.each ? value.map(function (item) { return ordered(item, spec.each); }) : value;
    }
    if (!spec.keys) return value;
    var inner = spec.fields || {};
    var out = {};
    spec.keys.concat(Object.keys(value)).forEach(function (k) {
      if (has(value, k) && !has(out, k)) out[k] = ordered(value[k], inner[k]);
    });
    return out;
  }

  // What the form holds, as the file says it: without empty values, keys in order, one-item
  // lists back to records.
  function toData(value, spec) {
    return fromForm(ordered(clean(value), spec.order), spec.one_item);
  }

  var FRONT = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)([\s\S]*)$/;

  var LAYOUTS = {
    map: {
      extension: "yml",
      fromFile: function (text, spec) {
        var data = toForm(jsyaml.load(text, SCHEMA) || {}, spec.one_item);
        data[HEADER] = leadingComments(text);
        return data;
      },
      toFile: function (data, spec) {
        return dump(toData(data, spec), data[HEADER]);
      },
    },
    list: {
      extension: "yml",
      fromFile: function (text, spec) {
        var data = { items: toForm(jsyaml.load(text, SCHEMA) || [], spec.one_item) };
        data[HEADER] = leadingComments(text);
        return data;
      },
      toFile: function (data, spec) {
        return dump(toData(data.items || [], spec), data[HEADER]);
      },
    },
    frontmatter: {
      extension: "md",
      fromFile: function (text, spec) {
        var m = FRONT.exec(text);
        if (!m) return { body: text };
        var data = toForm(jsyaml.load(m[1], SCHEMA) || {}, spec.one_item);
        data.body = m[2];
        return data;
      },
      toFile: function (data, spec) {
        var meta = toData(data, spec);
        var body = meta.body || "";
        delete meta.body;
        return "---\n" + dump(meta, "") + "---\n" + body;
      },
    },
  };

  Object.keys(STATIONSITE_FORMATS).forEach(function (name) {
    var spec = STATIONSITE_FORMATS[name];
    var layout = LAYOUTS[spec.layout];
    CMS.registerCustomFormat(name, layout.extension, {
      fromFile: function (text) { return layout.fromFile(text, spec); },
      toFile: function (data) { return layout.toFile(data, spec); },
    });
  });
})();
