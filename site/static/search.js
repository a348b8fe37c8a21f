/* planpress offline search: a progressive enhancement.
 *
 * Without JavaScript nothing of it shows. With it, a search box is added to the page header; the
 * index (search-index.js at the site's root, see planpress/render/outputs/search.py) is loaded
 * with a <script> element the first time the box is used, so it works from file:// (no fetch)
 * and costs nothing on pages where nobody searches. <html data-root> is the way from this page
 * to the site's root.
 *
 * Matching: every word of the query must begin a word of the title (or of the plan's title, for
 * items of a plan), ignoring case and accents. Matches in the title itself rank first, then
 * those whose first word matches, then by kind (plans first) and title length. At most 20
 * results are shown; a live region announces how many were found.
 */
(function () {
  "use strict";

  var MAX_RESULTS = 20;
  var KIND_NAMES = ["Plan", "Objective", "Task", "Milestone", "Person", "Team"];
  var MARKS = /\p{M}/gu;
  var SEPARATORS = /[^\p{L}\p{N}]+/u;

  /* Lower case, accents removed: "Café Zürich" -> "cafe zurich". */
  function fold(text) {
    return String(text).normalize("NFD").replace(MARKS, "").toLowerCase();
  }

  function words(text) {
    return fold(text).split(SEPARATORS).filter(Boolean);
  }

  /* The id planpress derives from a title (planpress.resolve.ids.slugify, minus its fallback). */
  function slug(title) {
    var ascii = String(title).normalize("NFKD").replace(/[^\x00-\x7f]/g, "").toLowerCase();
    var parts = (ascii.match(/[a-z0-9]+/g) || []).slice(0, 6);
    var result = "";
    for (var i = 0; i < parts.length; i++) {
      if (result && result.length + 1 + parts[i].length > 60) break;
      result = result ? result + "-" + parts[i] : parts[i].slice(0, 60);
    }
    return result;
  }

  /* The index as flat arrays, with each title's words folded once: " word word ". */
  function prepare(data) {
    var index = { titles: [], kinds: [], plans: [], links: [], hay: [], planTitles: [], planHay: [] };
    var u = data.u;
    function link(template, plan, item) {
      return template.replace("{p}", plan).replace("{i}", item);
    }
    function add(title, kind, plan, url) {
      index.titles.push(title);
      index.kinds.push(kind);
      index.plans.push(plan);
      index.links.push(url);
      index.hay.push(" " + words(title).join(" ") + " ");
    }
    function addItems(items, kind, planIndex, planId, template) {
      for (var j = 0; j < items.length; j++) {
        var item = items[j];
        var title = typeof item === "string" ? item : item[0];
        var id = typeof item === "string" ? slug(item) : item[1];
        add(title, kind, planIndex, link(template, planId, id));
      }
    }
    data.plans.forEach(function (plan, planIndex) {
      index.planTitles.push(plan[1]);
      index.planHay.push(" " + words(plan[1]).join(" ") + " ");
      add(plan[1], 0, -1, link(u.plan, plan[0], ""));
      addItems(plan[2], 1, planIndex, plan[0], u.item);
      addItems(plan[3], 2, planIndex, plan[0], u.item);
      addItems(plan[4], 3, planIndex, plan[0], u.milestone);
    });
    data.people.forEach(function (p) { add(p[1], 4, -1, link(u.party, "", p[0])); });
    data.teams.forEach(function (t) { add(t[1], 5, -1, link(u.party, "", t[0])); });
    return index;
  }

  /* {total, results: [{title, kind, plan, url}]}: the best `max` matches of the query. */
  function query(index, text, max) {
    max = max || MAX_RESULTS;
    var terms = words(text).map(function (w) { return " " + w; });
    var found = { total: 0, results: [] };
    if (!terms.length) return found;
    var planHit = index.planHay.map(function (hay) {
      return terms.map(function (t) { return hay.indexOf(t) !== -1; });
    });
    var best = []; // [rank, position], kept sorted, at most max long
    var hay = index.hay;
    for (var i = 0; i < hay.length; i++) {
      var inTitle = true;
      var matched = true;
      var plan = index.plans[i];
      for (var t = 0; t < terms.length; t++) {
        if (hay[i].indexOf(terms[t]) === -1) {
          inTitle = false;
          if (plan < 0 || !planHit[plan][t]) { matched = false; break; }
        }
      }
      if (!matched) continue;
      found.total++;
      var rank = (inTitle ? 0 : 4000000) + (hay[i].lastIndexOf(terms[0], 0) === 0 ? 0 : 2000000)
        + index.kinds[i] * 100000 + Math.min(hay[i].length, 99999);
      if (best.length === max && rank >= best[max - 1][0]) continue;
      var at = best.length;
      while (at > 0 && best[at - 1][0] > rank) at--;
      best.splice(at, 0, [rank, i]);
      if (best.length > max) best.pop();
    }
    found.results = best.map(function (entry) {
      var i = entry[1];
      return {
        title: index.titles[i],
        kind: KIND_NAMES[index.kinds[i]],
        plan: index.plans[i] < 0 ? "" : index.planTitles[index.plans[i]],
        url: index.links[i]
      };
    });
    return found;
  }

  window.PlanpressSearch = { fold: fold, slug: slug, prepare: prepare, query: query };

  /* -- the search box ------------------------------------------------------------------- */

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text) node.textContent = text;
    return node;
  }

  function install() {
    var header = document.querySelector(".site-header");
    if (!header || !("normalize" in String.prototype)) return;
    var root = document.documentElement.getAttribute("data-root") || "";
    var form = element("form", { "class": "site-search", role: "search" });
    var label = element("label", { "for": "site-search-input", "class": "visually-hidden" },
      "Search plans, objectives, tasks, milestones and people");
    var input = element("input", {
      id: "site-search-input", type: "search", name: "q", autocomplete: "off",
      spellcheck: "false", placeholder: "Search…", "aria-controls": "site-search-results",
      "aria-describedby": "site-search-status"
    });
    var status = element("p", { id: "site-search-status", role: "status", "class": "visually-hidden" });
    var panel = element("div", { "class": "site-search-panel", hidden: "" });
    var message = element("p", { "class": "site-search-message" });
    var list = element("ul", { id: "site-search-results", "aria-label": "Search results" });
    panel.appendChild(message);
    panel.appendChild(list);
    form.appendChild(label);
    form.appendChild(input);
    form.appendChild(status);
    form.appendChild(panel);
    header.appendChild(form);

    var index = null;
    var loading = false;
    var announce = 0;

    function load() {
      if (index || loading) return;
      if (window.PLANPRESS_SEARCH) { index = prepare(window.PLANPRESS_SEARCH); return; }
      loading = true;
      var script = element("script", { src: root + "search-index.js" });
      script.onload = function () {
        loading = false;
        if (window.PLANPRESS_SEARCH) index = prepare(window.PLANPRESS_SEARCH);
        show();
      };
      script.onerror = function () {
        loading = false;
        message.textContent = "The search index could not be loaded.";
        panel.hidden = false;
      };
      document.head.appendChild(script);
    }

    function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }

    function show() {
      var text = input.value.trim();
      list.textContent = "";
      if (!text) { panel.hidden = true; status.textContent = ""; return; }
      if (!index) { load(); message.textContent = "Loading the search index…"; panel.hidden = false; return; }
      var found = query(index, text, MAX_RESULTS);
      found.results.forEach(function (result) {
        var item = element("li");
        var a = element("a", { href: root + result.url });
        a.appendChild(element("span", { "class": "site-search-title" }, result.title));
        var meta = result.kind + (result.plan ? " · " + result.plan : "");
        a.appendChild(element("span", { "class": "site-search-meta" }, meta));
        item.appendChild(a);
        list.appendChild(item);
      });
      var summary = found.total === 0 ? "No results"
        : found.total === 1 ? "1 result"
        : found.total > found.results.length ? found.total + " results, the first " + found.results.length + " shown"
        : found.total + " results";
      message.textContent = found.total === 0 ? "No results for “" + text + "”." : summary + ".";
      panel.hidden = false;
      clearTimeout(announce); // announce once typing pauses, not on every key
      announce = setTimeout(function () { status.textContent = summary + "."; }, 400);
    }

    input.addEventListener("focus", function () { load(); if (input.value.trim()) show(); });
    input.addEventListener("input", show);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var first = links()[0];
      if (first) window.location.href = first.href;
    });
    form.addEventListener("keydown", function (event) {
      var all = links();
      var at = all.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && all.length) {
        all[at < 0 ? 0 : Math.min(at + 1, all.length - 1)].focus();
        event.preventDefault();
      } else if (event.key === "ArrowUp" && at >= 0) {
        (at === 0 ? input : all[at - 1]).focus();
        event.preventDefault();
      } else if (event.key === "Escape") {
        if (at >= 0 || !panel.hidden) { input.focus(); panel.hidden = true; } // focus first: it reopens
        else { input.value = ""; show(); }
        event.preventDefault();
      }
    });
    form.addEventListener("focusout", function (event) {
      if (!event.relatedTarget || !form.contains(event.relatedTarget)) panel.hidden = true;
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", install);
  else install();
})();
