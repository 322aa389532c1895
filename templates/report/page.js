// runja report: filter the runs by state, search their ids, sort a column, and show
// the thumbnails and plots of a table as it comes near the screen (those of the first
// rows are in their style already). The page reads the same without this; the state
// of the controls is kept in the address (#s=failed&q=run_01&sort=3), so a filtered
// view can be bookmarked.
(function () {
  "use strict";
  var ROWPX = 85, MSGPX = 34;
  var names = {failed: "Failed", waiting: "Waiting", done: "Done", "new": "Not processed yet"};
  var rows = [], byGroup = [], state = {s: "all", q: "", sort: -1, desc: false};
  var controls = document.getElementById("controls");
  var shown, input, buttons = {};

  function stateOf(tr) {
    var c = tr.className.split(" ");
    for (var i = 0; i < c.length; i++) if (names[c[i]]) return c[i];
    return "done";
  }

  // every row of a run, and the tables (chunks) of each group in order
  function collect() {
    var secs = document.querySelectorAll("section.group, section.attention");
    for (var g = 0; g < secs.length; g++) {
      var chunks = secs[g].querySelectorAll("section.chunk"), list = [];
      for (var c = 0; c < chunks.length; c++) {
        var trs = chunks[c].querySelectorAll("tbody > tr[id]");
        for (var k = 0; k < trs.length; k++) {
          var tr = trs[k], a = tr.cells[0].querySelector("a");
          var r = {tr: tr, s: stateOf(tr), id: (a ? a.textContent : tr.cells[0].textContent).toLowerCase()};
          rows.push(r);
          list.push(r);
        }
      }
      byGroup.push({sec: secs[g], chunks: chunks, rows: list, msg: secs[g].classList.contains("attention")});
    }
  }

  function parseHash() {
    var h = location.hash.replace(/^#/, "");
    if (!/(^|&)(s|q|sort)=/.test(h)) return;
    h.split("&").forEach(function (kv) {
      var i = kv.indexOf("="), k = kv.slice(0, i), v = decodeURIComponent(kv.slice(i + 1));
      if (k === "s" && (v === "all" || names[v])) state.s = v;
      if (k === "q") state.q = v;
      if (k === "sort") { state.desc = v.charAt(0) === "-"; state.sort = parseInt(v.replace("-", ""), 10); }
    });
  }

  function writeHash() {
    var p = [];
    if (state.s !== "all") p.push("s=" + state.s);
    if (state.q) p.push("q=" + encodeURIComponent(state.q));
    if (state.sort >= 0) p.push("sort=" + (state.desc ? "-" : "") + state.sort);
    if (p.length || /(^|&)(s|q|sort)=/.test(location.hash))
      history.replaceState(null, "", location.href.split("#")[0] + (p.length ? "#" + p.join("&") : ""));
  }

  // show the rows that pass the filter and the search; hide tables and groups left empty
  function apply() {
    var q = state.q.toLowerCase(), total = 0;
    byGroup.forEach(function (g) {
      var n = 0;
      g.rows.forEach(function (r) {
        var show = (state.s === "all" || r.s === state.s) && (!q || r.id.indexOf(q) >= 0);
        r.tr.classList.toggle("hide", !show);
        n += show;
      });
      for (var c = 0; c < g.chunks.length; c++) {
        var vis = g.chunks[c].querySelectorAll("tbody > tr[id]:not(.hide)").length;
        g.chunks[c].classList.toggle("hide", vis === 0);
        g.chunks[c].style.containIntrinsicSize = "auto " + vis * (g.msg ? MSGPX : ROWPX) + "px";
      }
      g.sec.classList.toggle("hide", n === 0);
      total += n;
    });
    for (var k in buttons) buttons[k].setAttribute("aria-pressed", k === state.s ? "true" : "false");
    shown.textContent = total === rows.length ? rows.length + " runs" : total + " of " + rows.length + " runs shown";
    document.getElementById("nomatch").classList.toggle("hide", total > 0);
    writeHash();
  }

  // a cell's sort key: its data-v, else its text as a number, else its text
  function key(tr, k) {
    var td = tr.cells[k];
    if (!td) return "";
    var v = td.getAttribute("data-v");
    if (v !== null) return parseFloat(v);
    var t = td.textContent, f = parseFloat(t);
    return isNaN(f) ? t.toLowerCase() : f;
  }

  function compare(a, b) {
    var ta = typeof a, tb = typeof b;
    if (a === "" || b === "") return (a === "") - (b === "");
    if (ta !== tb) return ta === "number" ? -1 : 1;
    return ta === "number" ? a - b : a.localeCompare(b, undefined, {numeric: true});
  }

  // sort each group's rows by column k (the run's order when k < 0), refilling its tables in order
  function sort() {
    var heads = document.querySelectorAll("table.head th");
    for (var i = 0; i < heads.length; i++)
      if (i === state.sort) heads[i].setAttribute("aria-sort", state.desc ? "descending" : "ascending");
      else heads[i].removeAttribute("aria-sort");
    byGroup.forEach(function (g) {
      if (g.msg) return;
      var keyed = g.rows.map(function (r, i) {
        return {r: r, k: state.sort < 0 ? i : key(r.tr, state.sort), i: parseInt(r.tr.id.slice(1), 10)};
      });
      keyed.sort(function (a, b) {
        var c = state.sort < 0 ? a.i - b.i : compare(a.k, b.k);
        if (state.desc && a.k !== "" && b.k !== "") c = -c;
        return c || a.i - b.i;
      });
      var at = 0;
      for (var c = 0; c < g.chunks.length; c++) {
        var body = g.chunks[c].querySelector("tbody"), n = body.rows.length, frag = document.createDocumentFragment();
        for (var j = 0; j < n; j++) frag.appendChild(keyed[at++].r.tr);
        body.appendChild(frag);
      }
      g.rows = keyed.map(function (e) { return e.r; });
    });
  }

  // the backgrounds of the table's cells from their data-i, once it is near the screen
  var seen = "IntersectionObserver" in window ? new IntersectionObserver(function (es) {
    es.forEach(function (e) { if (e.isIntersecting) { show(e.target); seen.unobserve(e.target); } });
  }, {rootMargin: "1200px 0px"}) : null;
  function show(chunk) {
    var els = chunk.querySelectorAll("[data-i]");
    for (var i = 0; i < els.length; i++) {
      els[i].style.setProperty("--i", "url(" + els[i].getAttribute("data-i") + ")");
      els[i].removeAttribute("data-i");
    }
  }
  function watch() {
    var chunks = document.querySelectorAll("section.chunk");
    for (var i = 0; i < chunks.length; i++)
      if (chunks[i].querySelector("[data-i]")) seen ? seen.observe(chunks[i]) : show(chunks[i]);
  }

  function button(s, label, n) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = label + " " + n;
    b.addEventListener("click", function () { state.s = s; apply(); });
    buttons[s] = b;
    controls.appendChild(b);
  }

  function build() {
    var count = {};
    rows.forEach(function (r) { count[r.s] = (count[r.s] || 0) + 1; });
    button("all", "All", rows.length);
    ["failed", "waiting", "done", "new"].forEach(function (s) { if (count[s]) button(s, names[s], count[s]); });
    input = document.createElement("input");
    input.type = "search";
    input.placeholder = "Search run ids";
    input.setAttribute("aria-label", "Search run ids");
    input.value = state.q;
    input.addEventListener("input", function () { state.q = input.value; apply(); });
    controls.appendChild(input);
    shown = document.createElement("span");
    shown.id = "shown";
    controls.appendChild(shown);
    var heads = document.querySelectorAll("table.head th");
    for (var i = 0; i < heads.length; i++) {
      heads[i].classList.add("sortable");
      heads[i].addEventListener("click", (function (k) {
        return function () {
          state.desc = state.sort === k ? !state.desc : false;
          state.sort = k;
          sort();
          apply();
          watch();
        };
      })(i));
    }
    controls.hidden = false;
  }

  collect();
  parseHash();
  build();
  if (state.sort >= 0) sort();
  apply();
  watch();
})();
