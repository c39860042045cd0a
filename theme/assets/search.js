/* The search page (/search/?q=…), over the two indexes generator/site/search.py writes after the
   build: search/names.json (stations and policy guides by their names, short forms, aliases, staff)
   and Pagefind's chunked index of the pages' text (pagefind/). Nothing is loaded on any other page,
   and here only once a query is made. Results, best first: stations and guides whose names match,
   then pages whose text holds the query (stations and guides before news, rules and the rest). The
   editors' guide is in neither index. Without JavaScript the form still submits to this page and
   the plain index of stations and policy guides below it is the answer. */
(function () {
  "use strict";
  var form = document.querySelector("form.ss-search-form");
  if (!form) { return; }
  var input = form.querySelector("input[name='q']");
  var out = document.getElementById("ss-search-results");
  var root = new URL(form.getAttribute("data-site-root").replace(/\/?$/, "/"), location.href);
  var script = new URL(form.getAttribute("data-pagefind-src"), location.href);
  var KINDS = { station: "服务站点", policy: "办事指南", rule: "制度", news: "新闻动态", page: "页面" };
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

  function status(text) {
    var p = document.createElement("p");
    p.className = "ss-search-status";
    p.textContent = text;
    return p;
  }

  // -- the names index: stations and policy guides by their names (search/names.json) ---------
  var names = null;
  function loadNames() {
    if (!names) {
      names = fetch(new URL("search/names.json", root).href).then(function (r) {
        if (!r.ok) { throw new Error("names " + r.status); }
        return r.json();
      });
    }
    return names;
  }

  // Queries and names compared without spaces and punctuation, Latin letters in lower case.
  function norm(text) {
    return text.toLowerCase().replace(/[\s\u3000·・,，.。、;；:：!！?？()（）《》“”"'‘’\-–—]+/g, "");
  }

  // How well one entry answers the query: its title or another name equal to the query, beginning
  // with it, containing it, or contained in it (低保怎么申请 holds 低保); 0 for no match.
  function nameScore(entry, q) {
    var best = 0;
    [entry[1]].concat(entry[3]).forEach(function (name, i) {
      var n = norm(name);
      if (!n) { return; }
      var title = i === 0;
      var s = 0;
      if (n === q) { s = title ? 100 : 90; }
      else if (n.indexOf(q) === 0) { s = title ? 80 : 70; }
      else if (n.indexOf(q) > 0) { s = title ? 60 : 50; }
      else if (n.length >= 2 && q.indexOf(n) >= 0) { s = 30 + Math.min(n.length, 9); }
      if (s > best) { best = s; }
    });
    return best;
  }

  function nameHits(index, query) {
    var q = norm(query);
    if (!q) { return []; }
    return index.entries
      .map(function (e, i) { return { e: e, s: nameScore(e, q), i: i }; })
      .filter(function (h) { return h.s > 0; })
      .sort(function (a, b) { return b.s - a.s || a.e[1].length - b.e[1].length || a.i - b.i; })
      .map(function (h) {
        return { url: new URL(h.e[0], root).href, title: h.e[1], kind: h.e[2], note: h.e[4] };
      });
  }

  // -- Pagefind, for words in the pages' text --------------------------------------------------
  // Its browser side splits a Chinese query into single characters, so a candidate counts only if
  // its text holds the query itself (or, for a query with spaces, every part of it).
  var CHECKED = 12;
  function textHits(query, exclude) {
    var parts = query.split(/\s+/).map(norm).filter(Boolean);
    return load().then(function (pagefind) {
      return Promise.all([pagefind.search(query, { filters: { tier: "1" } }), pagefind.search(query)]);
    }).then(function (found) {
      // Station pages and policy guides first, then every other page not already among them.
      var first = {};
      found[0].results.forEach(function (r) { first[r.id] = true; });
      var rest = found[1].results.filter(function (r) { return !first[r.id]; });
      var candidates = found[0].results.concat(rest).slice(0, CHECKED);
      return Promise.all(candidates.map(function (c) { return c.data(); }));
    }).then(function (pages) {
      return pages.filter(function (d) {
        var text = norm((d.meta && d.meta.title || "") + " " + (d.content || ""));
        return exclude.indexOf(new URL(d.url, location.href).href) < 0 &&
          parts.every(function (p) { return text.indexOf(p) >= 0; });
      }).map(function (d) {
        return {
          url: new URL(d.url, location.href).href, title: (d.meta && d.meta.title) || d.url,
          kind: (d.meta && d.meta.type) || "page", excerpt: d.excerpt || ""
        };
      });
    });
  }

  function item(hit) {
    var li = document.createElement("li");
    li.className = "ss-hit";
    var a = document.createElement("a");
    a.className = "ss-hit-title";
    a.href = hit.url;
    a.textContent = hit.title;
    li.appendChild(a);
    var kind = document.createElement("span");
    kind.className = "ss-hit-kind";
    kind.textContent = KINDS[hit.kind] || KINDS.page;
    li.appendChild(kind);
    if (hit.excerpt) {
      li.appendChild(excerpt(hit.excerpt));
    } else if (hit.note) {
      var p = document.createElement("p");
      p.className = "ss-hit-excerpt";
      p.textContent = hit.note;
      li.appendChild(p);
    }
    return li;
  }

  var current = 0;
  function run(query) {
    var ticket = ++current;
    // data-state: "busy" while searching, "done" once the results are on the page.
    out.setAttribute("data-state", "busy");
    out.replaceChildren(status("正在搜索“" + query + "”……"));
    var byName = [];
    loadNames().then(function (index) {
      byName = nameHits(index, query);
      if (ticket === current && byName.length) { show(query, byName, true); }
      return textHits(query, byName.map(function (h) { return h.url; }));
    }, function () {
      return textHits(query, []);
    }).then(function (byText) {
      if (ticket !== current) { return; }
      show(query, byName.concat(byText), false);
    }).catch(function () {
      if (ticket !== current) { return; }
      if (byName.length) { show(query, byName, false); return; }
      out.replaceChildren(status("搜索暂时用不了（可能是网络问题）。请在下面的一览里找，或稍后再试。"));
      out.setAttribute("data-state", "done");
    });
  }

  function show(query, hits, more) {
    if (!hits.length) {
      out.replaceChildren(status("没有找到与“" + query + "”有关的页面。可以换个说法（如“低保”或一个乡镇的名字），或在下面的一览里找。"));
      out.setAttribute("data-state", "done");
      return;
    }
    var list = document.createElement("ol");
    list.className = "ss-hits";
    hits.forEach(function (h) { list.appendChild(item(h)); });
    out.replaceChildren(status("找到 " + hits.length + " 个页面" + (more ? "，正在查找更多……" : "：")), list);
    out.setAttribute("data-state", more ? "busy" : "done");
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
