/* stationsite: how Decap CMS reads and writes our content files (loaded after decap-cms.js).
 *
 * Decap edits only files whose top level is a mapping; activities.yml and results.yml are lists.
 * "stationsite-list" wraps a list as {items: [...]} for the form and unwraps it on save.
 * All three formats parse with js-yaml's core schema (2026-11-24 stays text, as our checker reads
 * it), drop empty optional values (the checker refuses '' and null where a value is optional but
 * must not be blank), keep the file's leading comment block, and quote times and phone numbers as
 * the hand-written files do. Comments inside a file are not kept: see docs/guide/forms.md.
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
        if (!isEmpty(c)) out[k] = c;
      });
      return out;
    }
    return v;
  }

  function leadingComments(text) {
    var m = /^(?:[ \t]*(?:#[^\n]*)?\r?\n)*/.exec(text || "");
    return m ? m[0] : "";
  }

  // Times and phone numbers are quoted in the hand-written files; keep them so.
  var QUOTE = /^(\s*(?:- )?[A-Za-z_]+: )(\d{1,2}:\d{2}|0\d{2,3}-\d{7,8}(?:-\d{1,5})?)$/gm;

  function dump(value, header) {
    var text = Array.isArray(value) && value.length === 0 ? "[]\n" : jsyaml.dump(value, DUMP);
    return (header || "") + text.replace(QUOTE, '$1"$2"');
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
