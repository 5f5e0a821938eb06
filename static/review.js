/* Reading aids for the review: citation previews, the language switch that keeps your place,
   and full-text search. Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";

  var doc = document;
  var root = doc.documentElement;
  var strings = JSON.parse((doc.getElementById("review-strings") || { textContent: "{}" }).textContent || "{}");

  function text(key, fallback) { return strings[key] || fallback; }

  /* ---- Citation previews ------------------------------------------------------------------ */
  var preview = null;
  var previewFor = null;
  var hideTimer = null;

  function makePreview() {
    preview = doc.createElement("div");
    preview.id = "citation-preview";
    preview.className = "citation-preview";
    preview.setAttribute("role", "tooltip");
    preview.hidden = true;
    preview.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    preview.addEventListener("mouseleave", scheduleHide);
    (doc.querySelector("main") || doc.body).appendChild(preview);  /* inside a landmark */
  }

  function entryFor(link) {
    var id = decodeURIComponent((link.getAttribute("href") || "").split("#")[1] || "");
    return id ? doc.getElementById(id) : null;
  }

  function showPreview(link) {
    var entry = entryFor(link);
    if (!entry) { return; }
    clearTimeout(hideTimer);
    if (!preview) { makePreview(); }
    preview.innerHTML = "";
    var body = doc.createElement("div");
    body.className = "citation-preview-body";
    Array.prototype.forEach.call(entry.childNodes, function (node) {
      if (node.nodeType === 1 && (node.classList.contains("back-links") || node.classList.contains("cited-in"))) { return; }
      body.appendChild(node.cloneNode(true));
    });
    preview.appendChild(body);
    var actions = doc.createElement("div");
    actions.className = "citation-preview-actions";
    var go = doc.createElement("a");
    go.href = "#" + entry.id;
    go.textContent = text("goto", "Go to the reference");
    go.addEventListener("click", hidePreview);
    var close = doc.createElement("button");
    close.type = "button";
    close.className = "citation-preview-close";
    close.textContent = text("close", "Close");
    close.addEventListener("click", function () { hidePreview(); returnFocus(link); });
    actions.appendChild(go);
    actions.appendChild(close);
    preview.appendChild(actions);
    preview.hidden = false;
    previewFor = link;
    link.setAttribute("aria-describedby", "citation-preview");
    place(link);
  }

  function place(link) {
    var narrow = window.matchMedia("(max-width: 48rem)").matches;
    preview.classList.toggle("citation-preview-sheet", narrow);
    if (narrow) { preview.style.left = ""; preview.style.top = ""; return; }
    var box = link.getBoundingClientRect();
    var width = Math.min(420, root.clientWidth - 16);
    var left = Math.max(8, Math.min(box.left + window.scrollX - 20, window.scrollX + root.clientWidth - width - 8));
    preview.style.width = width + "px";
    preview.style.left = left + "px";
    preview.style.top = (box.bottom + window.scrollY + 6) + "px";
  }

  /* Give focus back to the citation without the focus reopening the preview. */
  var returningFocus = false;
  function returnFocus(link) {
    returningFocus = true;
    link.focus();
    returningFocus = false;
  }

  function hidePreview() {
    if (!preview || preview.hidden) { return; }
    preview.hidden = true;
    if (previewFor) { previewFor.removeAttribute("aria-describedby"); }
    previewFor = null;
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hidePreview, 250);
  }

  function citationLink(target) {
    return target && target.closest ? target.closest(".citation a") : null;
  }

  doc.addEventListener("mouseover", function (event) {
    var link = citationLink(event.target);
    if (link) { showPreview(link); }
  });
  doc.addEventListener("mouseout", function (event) {
    if (citationLink(event.target)) { scheduleHide(); }
  });
  doc.addEventListener("focusin", function (event) {
    var link = citationLink(event.target);
    if (link && !returningFocus) { showPreview(link); }
    else if (!link && preview && !preview.contains(event.target)) { hidePreview(); }
  });
  /* A tap fires pointerdown, then emulated mouseover and focus (which open the preview), then click.
     Whether the preview was already open for this link is decided at pointerdown: the first tap
     previews, a second tap on the same number follows the link. */
  var lastPointer = "mouse";
  var openBeforeTap = false;
  doc.addEventListener("pointerdown", function (event) {
    lastPointer = event.pointerType;
    var link = citationLink(event.target);
    openBeforeTap = !!(link && preview && !preview.hidden && previewFor === link);
    if (preview && !preview.hidden && !preview.contains(event.target) && !link) { hidePreview(); }
  });
  doc.addEventListener("click", function (event) {
    var link = citationLink(event.target);
    if (!link || lastPointer !== "touch") { return; }
    if (!openBeforeTap) {
      event.preventDefault();
      showPreview(link);
    }
  });
  doc.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && preview && !preview.hidden) {
      var link = previewFor;
      var inside = preview.contains(doc.activeElement);
      hidePreview();
      if (link && inside) { returnFocus(link); }
    }
  });

  /* ---- Language switch keeps the reading position ---------------------------------------- */
  function currentAnchor() {
    var units = doc.querySelectorAll(".parallel-row[id], .review-body [id], .page-header h1[id]");
    var header = doc.querySelector(".site-header");
    var top = header ? header.getBoundingClientRect().bottom : 0;
    var best = null;
    for (var i = 0; i < units.length; i++) {
      var box = units[i].getBoundingClientRect();
      if (box.bottom > top + 8) { best = units[i]; break; }
    }
    if (!best) { return ""; }
    return best.id;
  }

  Array.prototype.forEach.call(doc.querySelectorAll("a[data-language]"), function (link) {
    link.addEventListener("click", function () {  /* the chooser at the site root remembers it */
      try { localStorage.setItem("review-language", link.getAttribute("data-language")); } catch (e) {}
    });
  });

  Array.prototype.forEach.call(doc.querySelectorAll("a.language-switch, a.keep-position"), function (link) {
    function update() {
      var anchor = location.hash && location.hash.length > 1 && window.scrollY < 10 ? location.hash.slice(1) : currentAnchor();
      var base = link.getAttribute("href").split("#")[0];
      link.setAttribute("href", anchor ? base + "#" + anchor : base);
    }
    link.addEventListener("pointerdown", update);
    link.addEventListener("focus", update);
    link.addEventListener("click", update);
  });

  /* ---- Search --------------------------------------------------------------------------- */
  var form = doc.querySelector("form.search");
  if (form) {
    form.hidden = false;
    var input = form.querySelector("input[type=search]");
    var results = doc.getElementById("search-results");
    var status = doc.getElementById("search-status");
    var base = form.getAttribute("data-base") || "";

    function normalise(value) {
      return (value.normalize ? value.normalize("NFKC") : value).toLowerCase().replace(/\s+/g, " ");
    }

    /* The index is split into small scripts under data-index (see bireview/search.py): nothing loads
       until the reader types; a query loads the manifest, the buckets of its grams' slots, then the text
       shards holding all of them, in reading order, until 20 hits are verified. Scripts, not
       fetch(), so that search works from file:// too. */
    var folder = form.getAttribute("data-index") || "search/";
    var HITS = 20;
    var MAX_GRAMS = 12;
    var BATCHES = [1, 2, 4];  /* text shards loaded at a time: one, two, four, then eight at a time */
    var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
    var VALUES = {};
    for (var d = 0; d < DIGITS.length; d++) { VALUES[DIGITS.charAt(d)] = d; }
    var waiting = {};
    var loads = {};

    window.reviewSearchShard = function (name, data) {
      var resolve = waiting[name];
      if (resolve) { delete waiting[name]; resolve(data); }
    };

    function load(name) {
      if (!loads[name]) {
        loads[name] = new Promise(function (resolve, reject) {
          waiting[name] = resolve;
          var script = doc.createElement("script");
          script.src = folder + name + ".js";
          script.onload = function () { script.remove(); };
          script.onerror = function () {
            script.remove();
            delete waiting[name];
            delete loads[name];
            reject(new Error("cannot load " + script.src));
          };
          doc.head.appendChild(script);
        });
      }
      return loads[name];
    }

    function decode(code) {  /* a slot's shards: gaps as base-64 varints, or "=" and a bitmap */
      var numbers = [];
      var i, value;
      if (code.charAt(0) === "=") {
        for (i = 1; i < code.length; i++) {
          value = VALUES[code.charAt(i)];
          for (var bit = 0; bit < 6; bit++) { if (value & (1 << bit)) { numbers.push((i - 1) * 6 + bit); } }
        }
        return numbers;
      }
      var previous = -1, sum = 0, scale = 1;
      for (i = 0; i < code.length; i++) {
        value = VALUES[code.charAt(i)];
        sum += (value & 31) * scale;
        if (value & 32) { scale *= 32; continue; }
        previous += sum + 1;
        numbers.push(previous);
        sum = 0;
        scale = 1;
      }
      return numbers;
    }

    var CRC_TABLE = [];
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) { c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1; }
      CRC_TABLE.push(c >>> 0);
    }
    var encoder = new TextEncoder();

    function slot(gram, slots) {  /* CRC-32 of the gram's UTF-8, as bireview/search.py computes it */
      var bytes = encoder.encode(gram);
      var crc = 0xFFFFFFFF;
      for (var i = 0; i < bytes.length; i++) { crc = CRC_TABLE[(crc ^ bytes[i]) & 0xFF] ^ (crc >>> 8); }
      return ((crc ^ 0xFFFFFFFF) >>> 0) & (slots - 1);
    }

    function termGrams(term) {
      /* one or two characters whole; three or four whole and by the two shorter runs (a slot shared
         with another gram then rarely matters); a longer term by its runs of four */
      var chars = Array.from(term);
      if (chars.length <= 2) { return [term]; }
      var grams = [];
      function add(gram) { if (grams.indexOf(gram) === -1) { grams.push(gram); } }
      if (chars.length <= 4) {
        [term, chars.slice(0, -1).join(""), chars.slice(1).join("")].forEach(add);
        return grams;
      }
      for (var i = 0; i + 4 <= chars.length; i++) { add(chars.slice(i, i + 4).join("")); }
      return grams;
    }

    function queryGrams(terms) {  /* each term's first gram, then each one's second, …: at most MAX_GRAMS */
      var lists = terms.map(termGrams);
      var longest = Math.max.apply(null, lists.map(function (list) { return list.length; }));
      var grams = [];
      for (var turn = 0; turn < longest; turn++) {
        lists.forEach(function (list) {
          if (turn < list.length && grams.indexOf(list[turn]) === -1) { grams.push(list[turn]); }
        });
      }
      return grams.slice(0, MAX_GRAMS);
    }

    function intersect(a, b) {  /* both ascending */
      var both = [];
      for (var i = 0, j = 0; i < a.length && j < b.length;) {
        if (a[i] === b[j]) { both.push(a[i]); i++; j++; } else if (a[i] < b[j]) { i++; } else { j++; }
      }
      return both;
    }

    function candidates(terms) {
      return load("index").then(function (manifest) {
        var places = queryGrams(terms).map(function (gram) { return slot(gram, manifest.slots); });
        var buckets = [];
        places.forEach(function (place) {
          var number = place % manifest.buckets;
          if (buckets.indexOf(number) === -1) { buckets.push(number); }
        });
        buckets.sort(function (a, b) { return a - b; });
        return Promise.all(buckets.map(function (number) { return load("g" + number); })).then(function (loaded) {
          var postings = {};
          buckets.forEach(function (number, i) { postings[number] = loaded[i].split(","); });
          var shards = null;
          places.forEach(function (place) {
            var numbers = decode(postings[place % manifest.buckets][Math.floor(place / manifest.buckets)] || "");
            shards = shards === null ? numbers : intersect(shards, numbers);
          });
          return shards || [];
        });
      });
    }

    function verify(shards, terms, hits, turn) {
      if (!shards.length || hits.length >= HITS) { return Promise.resolve(hits); }
      var size = turn < BATCHES.length ? BATCHES[turn] : 8;
      return Promise.all(shards.slice(0, size).map(function (number) { return load("t" + number); })).then(function (loaded) {
        loaded.forEach(function (shard) {
          shard.entries.forEach(function (row) {
            if (hits.length >= HITS) { return; }
            if (row.length < 4) { row.push(normalise(row[2])); }
            var flat = row[3];
            if (terms.every(function (term) { return flat.indexOf(term) !== -1; })) {
              var page = shard.pages[row[0]];
              hits.push({ page: page[0], href: page[1] + "#" + row[1], text: row[2], flat: flat });
            }
          });
        });
        return verify(shards.slice(size), terms, hits, turn + 1);
      });
    }

    function snippet(entry, term) {
      var at = entry.flat.indexOf(term);
      var start = Math.max(0, at - 30);
      var fragment = doc.createDocumentFragment();
      fragment.appendChild(doc.createTextNode((start > 0 ? "…" : "") + entry.text.slice(start, at)));
      var mark = doc.createElement("mark");
      mark.textContent = entry.text.slice(at, at + term.length);
      fragment.appendChild(mark);
      fragment.appendChild(doc.createTextNode(entry.text.slice(at + term.length, at + term.length + 60) + "…"));
      return fragment;
    }

    function show(found, terms) {
      results.innerHTML = "";
      found.forEach(function (entry) {
        var item = doc.createElement("li");
        var link = doc.createElement("a");
        link.href = base + entry.href;
        var title = doc.createElement("strong");
        title.textContent = entry.page;
        link.appendChild(title);
        var excerpt = doc.createElement("span");
        excerpt.className = "search-snippet";
        excerpt.appendChild(snippet(entry, terms[0]));
        link.appendChild(excerpt);
        item.appendChild(link);
        results.appendChild(item);
      });
      results.hidden = found.length === 0;
      status.textContent = found.length ? text("found", "{n} results").replace("{n}", found.length) : text("none", "No results");
    }

    var searches = 0;  /* a slower earlier query never overwrites a later one's results */
    function search() {
      var query = normalise(input.value).trim();
      var mine = ++searches;
      if (!query) {
        results.innerHTML = "";
        status.textContent = "";
        results.hidden = true;
        return Promise.resolve();
      }
      var terms = query.split(" ");
      return candidates(terms).then(function (shards) { return verify(shards, terms, [], 0); }).then(function (found) {
        if (mine === searches) { show(found, terms); }
      }, function () {
        if (mine === searches) { show([], terms); }
      });
    }

    input.addEventListener("input", search);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      search().then(function () {
        var first = results.querySelector("a");
        if (first) { location.href = first.href; }
      });
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { input.value = ""; search(); }
      if (event.key === "ArrowDown") {
        var first = results.querySelector("a");
        if (first) { event.preventDefault(); first.focus(); }
      }
    });
  }

  /* ---- Sortable, filterable studies table ------------------------------------------------- */
  Array.prototype.forEach.call(doc.querySelectorAll("table.studies[data-interactive]"), function (table) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var controls = doc.getElementById(table.getAttribute("data-controls"));
    if (controls) { controls.hidden = false; }

    Array.prototype.forEach.call(table.querySelectorAll("th[data-sort]"), function (header, column) {
      var button = doc.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (header.firstChild) { button.appendChild(header.firstChild); }
      header.appendChild(button);
      header.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var ascending = header.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(table.querySelectorAll("th[data-sort]"), function (other) { other.setAttribute("aria-sort", "none"); });
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var index = header.cellIndex;
        var numeric = header.getAttribute("data-sort") === "number";
        rows.sort(function (a, b) {
          var x = a.cells[index].getAttribute("data-value") || a.cells[index].textContent.trim();
          var y = b.cells[index].getAttribute("data-value") || b.cells[index].textContent.trim();
          var order = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y, root.lang);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });

    if (controls) {
      var selects = controls.querySelectorAll("select");
      var count = controls.querySelector("output");
      var filter = function () {
        var shown = 0;
        rows.forEach(function (row) {
          var visible = Array.prototype.every.call(selects, function (select) {
            return !select.value || row.getAttribute("data-" + select.name) === select.value;
          });
          row.hidden = !visible;
          if (visible) { shown++; }
        });
        if (count) { count.textContent = text("shown", "{n} studies").replace("{n}", shown); }
      };
      Array.prototype.forEach.call(selects, function (select) { select.addEventListener("change", filter); });
      filter();
    }
  });

  /* ---- Copy the citation ---------------------------------------------------------------------
     Without scripts the citation is plain selectable text; with them, a button copies it. */
  Array.prototype.forEach.call(doc.querySelectorAll(".copy-citation"), function (button) {
    var source = doc.getElementById(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector(".copy-status");
    if (!source) { return; }
    button.parentNode.hidden = false;
    function report(message) { if (status) { status.textContent = message; } }
    function selectSource() {
      var range = doc.createRange();
      range.selectNodeContents(source);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }
    button.addEventListener("click", function () {
      var citation = source.textContent.replace(/\s+/g, " ").trim();
      var copied = function () { report(text("copied", "Copied")); };
      var failed = function () { selectSource(); report(text("copy_failed", "Select the text and copy it")); };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(citation).then(copied, failed);
      } else {
        failed();
      }
    });
  });
})();
