/* stationsite's page script (no inline handlers: the site's Content-Security-Policy allows scripts
   from the site itself only). Everything here is an addition: without JavaScript each page is
   complete at its default reading mode (18 px, the light scheme), the hours are in a table, and
   the links to PDFs and calendars are plain links.

   1. 大字模式 (large-text reading mode, MIIT 适老化规范 / GB/T 37668): a header button that sets
      html.ss-large (body text 24 px, 60 px targets, line spacing 1.8) and remembers the choice on this
      phone. The high-contrast scheme's toggle is material-standin.js (or Material's bundle).
   2. A station's 今日 line: 正在开放 / 午间休息 / 尚未开门 / 今日已下班 / 今日休息, from the opening
      hours in data-hours and the time in Asia/Shanghai, whatever the phone's own time zone; in a
      closure (data-closures) 今日休息（reason）.
   3. In WeChat's in-app browser, a hint beside every PDF and calendar (.ics) link: WeChat does not
      open them itself. */
(function () {
  "use strict";
  var root = document.documentElement;

  // -- 1. large text ------------------------------------------------------------------------
  var KEY = "stationsite.largeText";
  function applyLarge(on) {
    root.classList.toggle("ss-large", on);
    var b = document.querySelector(".ss-large-toggle");
    if (b) { b.setAttribute("aria-pressed", on ? "true" : "false"); }
  }
  var stored = false;
  try { stored = localStorage.getItem(KEY) === "1"; } catch (e) { /* private mode */ }
  applyLarge(stored);

  function addLargeButton() {
    if (document.querySelector(".ss-large-toggle")) { return; }
    var anchor = document.querySelector(".md-header__inner .md-header__option, .md-header__inner .ss-search-link, .md-header__inner label[for='__search']");
    if (!anchor) { return; }
    var b = document.createElement("button");
    b.type = "button";
    b.className = "md-header__button ss-large-toggle";
    b.textContent = "大字";
    b.title = "大字模式：放大全部文字";
    b.setAttribute("aria-pressed", root.classList.contains("ss-large") ? "true" : "false");
    b.addEventListener("click", function () {
      var on = !root.classList.contains("ss-large");
      try { localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode */ }
      applyLarge(on);
    });
    anchor.parentNode.insertBefore(b, anchor);
  }

  // -- 2. today's hours ----------------------------------------------------------------------
  var DAY_NAMES = ["", "周一", "周二", "周三", "周四", "周五", "周六", "周日"];

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function shanghaiNow() {
    // UTC+8 all year (no DST since 1991); cheaper than Intl's time-zone data on a slow phone.
    var t = new Date(Date.now() + 8 * 3600 * 1000);
    return {
      date: t.getUTCFullYear() + "-" + pad(t.getUTCMonth() + 1) + "-" + pad(t.getUTCDate()),
      day: t.getUTCDay() || 7, time: pad(t.getUTCHours()) + ":" + pad(t.getUTCMinutes())
    };
  }

  function todayStatus(spans, closures, now) {
    for (var c = 0; c < closures.length; c++) {  // [from, to, reason], ISO dates, inclusive
      if (closures[c][0] <= now.date && now.date <= closures[c][1]) {
        return { state: "closed-day", text: "今日休息", reason: 1, detail: "（" + closures[c][2] + "）" };
      }
    }
    var today = spans.filter(function (s) { return s[0] === now.day; })
      .sort(function (a, b) { return a[1] < b[1] ? -1 : 1; });
    if (!today.length) { return { state: "closed-day", text: "今日休息" }; }
    for (var i = 0; i < today.length; i++) {
      if (now.time >= today[i][1] && now.time < today[i][2]) {
        return { state: "open", text: "正在开放", detail: "到 " + today[i][2] };
      }
      if (now.time < today[i][1]) {
        return {
          state: "later", text: i === 0 ? "尚未开门" : "午间休息",
          detail: today[i][1] + " 开门"
        };
      }
    }
    return { state: "closed", text: "今日已下班", detail: "" };
  }

  function showToday() {
    var line = document.querySelector(".ss-today[data-hours]");
    if (!line) { return; }
    var spans, closures = [];
    try { spans = JSON.parse(line.getAttribute("data-hours")); } catch (e) { return; }
    try { closures = JSON.parse(line.getAttribute("data-closures") || "[]"); } catch (e) { /* hours only */ }
    var now = shanghaiNow();
    var st = todayStatus(spans, closures, now);
    var p = document.createElement("p");
    p.className = "ss-now ss-now--" + st.state;
    var badge = document.createElement("strong");
    badge.className = "ss-now-state";
    badge.textContent = st.text;
    p.appendChild(document.createTextNode("今天" + DAY_NAMES[now.day] + " "));
    p.appendChild(badge);
    if (st.detail) {
      var d = document.createElement("span");
      d.className = st.reason ? "ss-now-detail ss-now-reason" : "ss-now-detail";
      d.textContent = (st.reason ? "" : " ") + st.detail;
      p.appendChild(d);
    }
    line.parentNode.insertBefore(p, line);
  }

  // -- 3. WeChat hint beside PDFs and calendars ----------------------------------------------
  function wechatHints() {
    if (!/MicroMessenger/i.test(navigator.userAgent)) { return; }
    root.classList.add("ss-wechat");
    var links = document.querySelectorAll(".md-content a[href$='.pdf'], .md-content a[href$='.ics']");
    var seen = [];
    Array.prototype.forEach.call(links, function (a) {
      var holder = a.closest("li, p") || a;
      if (seen.indexOf(holder) >= 0) { return; }
      seen.push(holder);
      var hint = document.createElement("span");
      hint.className = "ss-wechat-hint";
      hint.textContent = "微信里打不开？点右上角 ··· → 在浏览器打开";
      holder.appendChild(hint);
    });
  }

  function ready() {
    addLargeButton();
    showToday();
    wechatHints();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
