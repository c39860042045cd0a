/* 大字模式 (large-text reading mode, MIIT 适老化规范): a header button that enlarges all text and
   remembers the choice on this phone. Added by script, so without JavaScript there is no dead
   button (the page is already at 18 px and the browser's own zoom works). */
(function () {
  var KEY = "stationsite.largeText";
  var root = document.documentElement;
  function apply(on) {
    root.classList.toggle("ss-large", on);
    var b = document.querySelector(".ss-large-toggle");
    if (b) { b.setAttribute("aria-pressed", on ? "true" : "false"); }
  }
  var stored = false;
  try { stored = localStorage.getItem(KEY) === "1"; } catch (e) { /* private mode */ }
  apply(stored);
  function addButton() {
    if (document.querySelector(".ss-large-toggle")) { return; }
    var search = document.querySelector(".md-header__inner label[for='__search']");
    if (!search) { return; }
    var b = document.createElement("button");
    b.type = "button";
    b.className = "md-header__button ss-large-toggle";
    b.textContent = "大字";
    b.title = "大字模式：放大全部文字";
    b.setAttribute("aria-pressed", root.classList.contains("ss-large") ? "true" : "false");
    b.addEventListener("click", function () {
      var on = !root.classList.contains("ss-large");
      try { localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode */ }
      apply(on);
    });
    search.parentNode.insertBefore(b, search);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", addButton);
  } else {
    addButton();
  }
})();
