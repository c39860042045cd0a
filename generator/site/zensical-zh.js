/* Zensical 0.0.73's search dialog writes its own labels in English whatever theme.language says
   (the rest of its interface follows language: zh). This puts those labels into Chinese. Kept out of
   the theme so MkDocs never publishes it: only the Zensical export copies it into the theme's
   assets/ and adds it to extra_javascript (generator/site/export.py); under MkDocs the search is
   mkdocs-material's, already in Chinese. The dialog lives in an open shadow root on a
   fixed <div> that Zensical appends to <body>, and is re-rendered as the resident types, so the
   labels are translated whenever it changes. Only exact English strings are replaced, so a page
   title in the results is never touched. */
(function () {
  var TEXT = {
    "Search": "搜索",
    "Close search": "关闭搜索",
    "Filters": "筛选",
    "Tags": "标签",
    "Search results": "搜索结果",
    "No results": "没有找到符合条件的结果",
    "Loading search\u2026": "正在加载搜索……",
    "Use Up and Down arrow keys to move between tags. Press Space or Enter to toggle a tag.":
      "用上下方向键在标签之间移动，按空格或回车键选择标签。"
  };
  var COUNT = /^([\d,]+) results?$/;

  function chinese(text) {
    var t = text.trim();
    if (Object.prototype.hasOwnProperty.call(TEXT, t)) { return TEXT[t]; }
    var m = COUNT.exec(t);
    return m ? "找到 " + m[1] + " 个结果" : null;
  }

  function translate(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      var t = chinese(node.nodeValue);
      if (t !== null) { node.nodeValue = t; }
    }
    var labelled = root.querySelectorAll("[placeholder], [aria-label], [title]");
    for (var i = 0; i < labelled.length; i++) {
      ["placeholder", "aria-label", "title"].forEach(function (name) {
        var value = labelled[i].getAttribute(name);
        var t = value === null ? null : chinese(value);
        if (t !== null) { labelled[i].setAttribute(name, t); }
      });
    }
  }

  function watch(host) {
    var root = host.shadowRoot;
    if (!root || host.ssTranslated) { return; }
    host.ssTranslated = true;
    translate(root);
    new MutationObserver(function () { translate(root); }).observe(root, {
      subtree: true, childList: true, characterData: true,
      attributes: true, attributeFilter: ["placeholder", "aria-label", "title"]
    });
  }

  function scan() {
    for (var i = 0; i < document.body.children.length; i++) { watch(document.body.children[i]); }
  }

  function start() {
    scan();
    new MutationObserver(scan).observe(document.body, { childList: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
