// Name pickers (web/picker.templ): the box for typing names becomes a combobox that asks
// GET /api/v1/suggest as the user types and adds the chosen record to the field's list, as
// a ticked checkbox carrying its slug. Without this script the field still works: typed
// names are settled by the server when the form is saved. ARIA 1.2 combobox pattern: the
// input owns a listbox, aria-expanded says whether it shows, aria-activedescendant names
// the highlighted option; Up/Down move, Enter chooses, Escape closes.
(function () {
  "use strict";

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text) { e.textContent = text; }
    return e;
  }

  // text is what the page gives, in its language, for one of the things the script says
  // (data-picker-text-KEY, with {query}, {name} or {count} standing for what goes there),
  // else the English it falls back on.
  function text(root, key, english, values) {
    var s = root.getAttribute("data-picker-text-" + key) || english;
    Object.keys(values || {}).forEach(function (k) { s = s.split("{" + k + "}").join(values[k]); });
    return s;
  }

  // countText is how many suggestions there are, in the plural form the page's language
  // takes for n (its rules as Intl.PluralRules has them): one, few or many.
  function countText(root, n) {
    var form = n === 1 ? "one" : "many";
    if (typeof Intl !== "undefined" && Intl.PluralRules) {
      try { form = new Intl.PluralRules(document.documentElement.lang || "en").select(n); } catch (e) { /* keep the guess */ }
    }
    if (form !== "one" && form !== "few") { form = "many"; }
    var english = n === 1 ? "{count} suggestion: use the arrow keys to choose." : "{count} suggestions: use the arrow keys to choose.";
    return text(root, "count-" + form, english, { count: String(n) });
  }

  function setup(root) {
    var name = root.getAttribute("data-picker-name");
    var single = root.hasAttribute("data-picker-single");
    var noun = root.getAttribute("data-picker-noun") || "record";
    var typeFrom = root.getAttribute("data-picker-type-from");
    var box = document.getElementById(name);
    var chosen = document.getElementById(name + "-chosen");
    if (!box || !chosen) { return; }

    // A textarea takes several names, one per line; the combobox is one line, so names
    // typed before (kept after an error) are joined with ";", which the server splits on.
    if (box.tagName === "TEXTAREA") {
      var input = el("input", { type: "text", id: box.id, name: box.name, autocomplete: "off" });
      ["aria-describedby", "aria-invalid"].forEach(function (a) {
        if (box.hasAttribute(a)) { input.setAttribute(a, box.getAttribute(a)); }
      });
      input.value = box.value.split("\n").map(function (s) { return s.trim(); }).filter(Boolean).join("; ");
      box.parentNode.replaceChild(input, box);
      box = input;
    }
    var listId = name + "-listbox";
    var list = el("ul", { id: listId, role: "listbox", "class": "picker-listbox", "aria-label": text(root, "list", "Suggestions") });
    list.hidden = true;
    var status = el("div", { role: "status", "class": "visually-hidden", "data-testid": name + "-status" });
    box.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    box.setAttribute("role", "combobox");
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-expanded", "false");
    box.setAttribute("aria-controls", listId);

    var items = [];
    var active = -1;
    var timer = null;
    var asked = 0;
    var chose = false;

    function type() {
      if (typeFrom) {
        var sel = document.getElementById(typeFrom);
        return sel ? sel.value : "";
      }
      return root.getAttribute("data-picker-type");
    }

    // The name being typed: after the last ";" when several were kept from before.
    function query() {
      var v = box.value;
      var i = v.lastIndexOf(";");
      return (i >= 0 ? v.slice(i + 1) : v).trim();
    }

    function close() {
      list.hidden = true;
      box.setAttribute("aria-expanded", "false");
      box.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(i) {
      var opts = list.querySelectorAll("[role=option]");
      opts.forEach(function (o, j) { o.setAttribute("aria-selected", j === i ? "true" : "false"); });
      active = i;
      if (i >= 0 && opts[i]) {
        box.setAttribute("aria-activedescendant", opts[i].id);
        opts[i].scrollIntoView({ block: "nearest" });
      } else {
        box.removeAttribute("aria-activedescendant");
      }
    }

    // show lists the suggestions for q; the highlighted one stays highlighted if it is
    // still among them (an answer to a longer query may arrive after a key was pressed).
    function show(q, found) {
      var was = active >= 0 && items[active] ? items[active].slug : null;
      items = found;
      list.textContent = "";
      list.setAttribute("data-query", q);
      found.forEach(function (it, i) {
        var o = el("li", { id: name + "-option-" + i, role: "option", "aria-selected": "false", "data-slug": it.slug });
        o.appendChild(document.createTextNode(it.name));
        if (it.detail) { o.appendChild(el("span", { "class": "muted" }, " · " + it.detail)); }
        o.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
        list.appendChild(o);
      });
      if (found.length === 0) {
        close();
        status.textContent = text(root, "none", "No " + noun + " matches “{query}”.", { query: query() });
        return;
      }
      list.hidden = false;
      box.setAttribute("aria-expanded", "true");
      highlight(found.findIndex(function (it) { return it.slug === was; }));
      status.textContent = countText(root, found.length);
    }

    function ask() {
      var q = query();
      var t = type();
      if (q === "" || !t) { close(); status.textContent = ""; return; }
      var mine = ++asked;
      fetch("/api/v1/suggest?type=" + encodeURIComponent(t) + "&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(function (a) { if (mine === asked) { show(q, a.items || []); } })
        .catch(function () { if (mine === asked) { close(); } });
    }

    function choose(i) {
      var it = items[i];
      if (!it) { return; }
      if (single) { chosen.textContent = ""; }
      var already = Array.prototype.some.call(chosen.querySelectorAll("input"), function (c) { return c.value === it.slug; });
      if (!already) {
        var n = chosen.querySelectorAll("li").length;
        var id = name + "-added-" + n + "-" + Date.now();
        var li = el("li");
        li.appendChild(el("input", { type: "checkbox", id: id, name: name, value: it.slug, checked: "" }));
        var label = el("label", { "for": id }, it.name);
        if (it.detail) { label.appendChild(el("span", { "class": "muted" }, " · " + it.detail)); }
        li.appendChild(label);
        chosen.appendChild(li);
      }
      var none = root.querySelector("[data-picker-none]");
      if (none) { none.hidden = true; }
      // The chosen name leaves the box; names kept from before stay.
      var v = box.value;
      var cut = v.lastIndexOf(";");
      box.value = cut >= 0 ? v.slice(0, cut).trim() : "";
      close();
      status.textContent = already ? text(root, "already", "{name} is already in the list.", { name: it.name }) : text(root, "added", "{name} added.", { name: it.name });
      box.focus();
    }

    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 120);
    });
    box.addEventListener("keydown", function (e) {
      var open = !list.hidden && items.length > 0;
      if (e.key === "ArrowDown") {
        e.preventDefault();
        if (!open) { ask(); return; }
        highlight(active < items.length - 1 ? active + 1 : 0);
      } else if (e.key === "ArrowUp") {
        e.preventDefault();
        if (open) { highlight(active > 0 ? active - 1 : items.length - 1); }
      } else if (e.key === "Enter") {
        if (open && active >= 0) {
          e.preventDefault();
          chose = true;
          choose(active);
        }
      } else if (e.key === "Escape") {
        if (open) {
          e.preventDefault();
          close();
        }
      }
    });
    // The Enter that chose a suggestion must not also submit the form, should a keypress
    // follow the prevented keydown (synthetic key events do).
    box.addEventListener("keypress", function (e) {
      if (e.key === "Enter" && chose) { e.preventDefault(); }
      chose = false;
    });
    box.addEventListener("keyup", function () { chose = false; });
    box.addEventListener("blur", function () { setTimeout(close, 150); });
    if (typeFrom) {
      var sel = document.getElementById(typeFrom);
      if (sel) {
        sel.addEventListener("change", function () {
          if (single) { chosen.textContent = ""; }
          close();
        });
      }
    }
  }

  function start() {
    document.querySelectorAll("[data-picker]").forEach(setup);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
