/* The search page (/search/?q=…): runs the query with Pagefind's index (pagefind/, written after the
   build by generator/site/search.py). Nothing is loaded on any other page, and on this one only the
   chunks of the index that the query's words need. Results come in two tiers, each best first:
   station pages and policy guides (what a resident came for), then news, rules and the rest. The
   editors' guide is not in the index at all. Without JavaScript the form still submits to this
   page and the plain index of stations and policy guides below it is the answer. */
(function () {
  "use strict";
  var form = document.querySelector("form.ss-search-form");
  if (!form) { return; }
  var input = form.querySelector("input[name='q']");
  var out = document.getElementById("ss-search-results");
  var root = new URL(form.getAttribute("data-site-root").replace(/\/?$/, "/"), location.href);
  var script = new URL(form.getAttribute("data-pagefind-src"), location.href);
  var KINDS = { station: "服务站点", policy: "办事指南", rule: "制度", news: "新闻动态", page: "页面" };
  var PAGE = 10;
  var engine = null;

  function load() {
    if (!engine) {
      engine = import(script.href).then(function (pagefind) {
        return pagefind.options({ baseUrl: root.pathname }).then(function () { return pagefind; });
      });
    }
    return engine;
  }

  // Pagefind's excerpt is page text with <mark> around the matched words; it is rebuilt here from
  // text nodes so that nothing in it can become markup.
  function excerpt(html) {
    var p = document.createElement("p");
    p.className = "ss-hit-excerpt";
    html.split(/(<mark>|<\/mark>)/).reduce(function (marked, part) {
      if (part === "<mark>") { return true; }
      if (part === "</mark>") { return false; }
      var text = new DOMParser().parseFromString(part, "text/html").body.textContent || "";
      var node = document.createTextNode(text);
      if (marked) { var m = document.createElement("mark"); m.appendChild(node); node = m; }
      p.appendChild(node);
      return marked;
    }, false);
    return p;
  }

  function item(data) {
    var li = document.createElement("li");
    li.className = "ss-hit";
    var a = document.createElement("a");
    a.className = "ss-hit-title";
    a.href = data.url;
    a.textContent = (data.meta && data.meta.title) || data.url;
    li.appendChild(a);
    var kind = document.createElement("span");
    kind.className = "ss-hit-kind";
    kind.textContent = KINDS[(data.meta && data.meta.type) || "page"] || KINDS.page;
    li.appendChild(kind);
    li.appendChild(excerpt(data.excerpt || ""));
    return li;
  }

  function status(text) {
    var p = document.createElement("p");
    p.className = "ss-search-status";
    p.textContent = text;
    return p;
  }

  var current = 0;
  function run(query) {
    var ticket = ++current;
    out.replaceChildren(status("正在搜索“" + query + "”……"));
    load().then(function (pagefind) {
      return Promise.all([
        pagefind.search(query, { filters: { tier: "1" } }),
        pagefind.search(query, { filters: { tier: "2" } })
      ]);
    }).then(function (tiers) {
      if (ticket !== current) { return; }
      var hits = tiers[0].results.concat(tiers[1].results);
      if (!hits.length) {
        out.replaceChildren(status("没有找到与“" + query + "”有关的页面。可以换个说法（如“低保”“狮城镇”），或在下面的一览里找。"));
        return;
      }
      var list = document.createElement("ol");
      list.className = "ss-hits";
      var head = status("找到 " + hits.length + " 个页面：");
      out.replaceChildren(head, list);
      var shown = 0;
      var more = document.createElement("button");
      more.type = "button";
      more.className = "ss-search-more";
      more.textContent = "显示更多结果";
      function page() {
        var next = hits.slice(shown, shown + PAGE);
        shown += next.length;
        more.remove();
        return Promise.all(next.map(function (h) { return h.data(); })).then(function (all) {
          if (ticket !== current) { return; }
          all.forEach(function (d) { list.appendChild(item(d)); });
          if (shown < hits.length) { out.appendChild(more); }
        });
      }
      more.addEventListener("click", page);
      return page();
    }).catch(function () {
      if (ticket !== current) { return; }
      out.replaceChildren(status("搜索暂时用不了（可能是网络问题）。请在下面的一览里找，或稍后再试。"));
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = input.value.trim();
    if (!query) { input.focus(); return; }
    history.replaceState(null, "", "?q=" + encodeURIComponent(query));
    run(query);
  });
  var initial = (new URLSearchParams(location.search).get("q") || "").trim();
  if (initial) {
    input.value = initial;
    run(initial);
  }
})();
