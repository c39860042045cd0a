/* What stands in for mkdocs-material's script bundle where theme/main.html leaves it out:
   1. The palette toggle (普通 / 高对比度; theme/partials/palette.html says why). It changes
      <body>'s data-md-color-* attributes only when the toggle is used, and stores the choice as
      Material does (__md_set("__palette")), so Material's inline script applies it before the
      next page paints. Without JavaScript the toggle stays hidden and the page keeps its default.
   2. Each table of the content in the scroll wrapper Material's script puts it in
      (templates/table: div.md-typeset__scrollwrap > div.md-typeset__table), so tables scroll
      and are spaced as under an engine that runs Material's script (Zensical). */
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll(".md-content table:not([class])"), function (table) {
    var wrap = document.createElement("div"), inner = document.createElement("div");
    wrap.className = "md-typeset__scrollwrap";
    inner.className = "md-typeset__table";
    table.parentNode.insertBefore(wrap, table);
    inner.appendChild(table);
    wrap.appendChild(inner);
  });

  function palette() {
    var form = document.querySelector("form.ss-palette");
    if (!form) { return; }
    var inputs = Array.prototype.slice.call(form.querySelectorAll("input.md-option"));
    if (!inputs.length) { return; }
    var get = window.__md_get, set = window.__md_set;
    var stored = null;
    try { stored = get ? get("__palette") : null; } catch (e) { /* storage refused */ }
    function colour(input) {
      var c = {};
      ["media", "scheme", "primary", "accent"].forEach(function (k) {
        c[k] = input.getAttribute("data-md-color-" + k);
      });
      return c;
    }
    function show(index) {
      // The visible toggle is the label after the current option; it switches to the next one.
      inputs.forEach(function (input, i) {
        var label = input.nextElementSibling;
        if (label && label.tagName === "LABEL") { label.hidden = i !== index; }
      });
    }
    function apply(index, remember) {
      var c = colour(inputs[index]), body = document.body;
      var changed = Object.keys(c).some(function (k) { return body.getAttribute("data-md-color-" + k) !== c[k]; });
      if (changed) {
        body.setAttribute("data-md-color-switching", "");  // Material's CSS: no transitions meanwhile
        Object.keys(c).forEach(function (k) { body.setAttribute("data-md-color-" + k, c[k]); });
        setTimeout(function () { body.removeAttribute("data-md-color-switching"); }, 0);
      }
      show(index);
      if (remember && set) {
        try { set("__palette", { index: index, color: c }); } catch (e) { /* private mode */ }
      }
    }
    var index = stored && typeof stored.index === "number" ? stored.index : inputs.findIndex(function (input) {
      return matchMedia(input.getAttribute("data-md-color-media")).matches;
    });
    index = Math.max(0, Math.min(index, inputs.length - 1));
    inputs[index].checked = true;
    // Material's inline script has already applied a stored choice before the page painted: then
    // this changes nothing. Without one, the phone's own preference decides, remembered as Material does.
    apply(index, !stored);
    inputs.forEach(function (input, i) {
      input.addEventListener("change", function () { if (input.checked) { apply(i, true); } });
    });
    form.addEventListener("keydown", function (ev) {
      if (ev.key !== "Enter") { return; }
      ev.preventDefault();
      var next = inputs[(inputs.indexOf(document.activeElement) + 1) % inputs.length] || inputs[0];
      next.click();
      next.focus();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", palette);
  } else {
    palette();
  }
})();
