// The header search box as a combobox with a list of suggestions (WAI-ARIA 1.2 combobox
// pattern, "list autocomplete": https://www.w3.org/WAI/ARIA/apg/patterns/combobox/).
// Progressive enhancement only: without this script the form submits to /search/ as usual,
// and Enter with no suggestion highlighted still does.
// Written by hand: the site loads no script library, and a combobox this small is less code
// than any maintained one (they come with their own styles, often set inline, which the
// site's CSP forbids).
(function () {
  "use strict";
  var form = document.querySelector("form[data-suggest-url]");
  if (!form || !window.fetch) return;
  var input = form.querySelector("input[type=search]");
  var status = form.querySelector("[role=status]");
  if (!input) return;

  var list = document.createElement("ul");
  list.id = input.id + "-suggestions";
  list.className = "site-search__suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Suggestions");
  list.hidden = true;
  form.appendChild(list);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);

  var items = []; // the suggestions shown: [{title, url, kind, status}]
  var active = -1; // the highlighted option, -1 for none
  var timer = null;
  var latest = "";

  function options() {
    return list.querySelectorAll("[role=option]");
  }

  function announce(text) {
    if (status) status.textContent = text;
  }

  function highlight(index) {
    var all = options();
    active = index;
    for (var i = 0; i < all.length; i++) {
      var on = i === index;
      all[i].setAttribute("aria-selected", on ? "true" : "false");
      all[i].classList.toggle("is-active", on);
    }
    if (index >= 0 && all[index]) {
      input.setAttribute("aria-activedescendant", all[index].id);
      all[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function open() {
    if (!items.length) return false;
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    return true;
  }

  function close() {
    highlight(-1);
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
  }

  function go(index) {
    var item = items[index];
    if (!item) return;
    close();
    window.location.assign(item.url);
  }

  function show(suggestions) {
    items = suggestions;
    list.replaceChildren.apply(
      list,
      suggestions.map(function (item, index) {
        var option = document.createElement("li");
        option.id = list.id + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.url = item.url;
        var title = document.createElement("span");
        title.className = "site-search__title";
        title.textContent = item.title;
        var kind = document.createElement("span");
        kind.className = "site-search__kind";
        // A deprecated term says so beside its kind.
        kind.textContent = item.status ? item.kind + " · " + item.status : item.kind;
        option.append(title, " ", kind);
        return option;
      })
    );
    highlight(-1);
    if (suggestions.length && document.activeElement === input) {
      open();
      announce(
        suggestions.length + (suggestions.length === 1 ? " suggestion" : " suggestions") +
        ": up and down arrows to choose, Enter to open."
      );
    } else {
      close();
      announce(suggestions.length ? "" : "No suggestions.");
    }
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    var query = input.value.trim().split(/\s+/).join(" ");
    if (query.length < 2) {
      latest = "";
      show([]);
      announce("");
      return;
    }
    timer = setTimeout(function () {
      latest = query;
      fetch(form.dataset.suggestUrl + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
      })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) {
          if (latest === query) show(data.suggestions || []);
        })
        .catch(function () { /* suggestions are optional: the form still searches */ });
    }, 150);
  });

  input.addEventListener("keydown", function (event) {
    if (event.altKey && event.key !== "ArrowDown") return;
    var count = items.length;
    var expanded = !list.hidden;
    switch (event.key) {
      case "ArrowDown":
        if (!count) return;
        event.preventDefault();
        if (!expanded) open();
        if (!event.altKey) highlight(!expanded || active >= count - 1 ? 0 : active + 1);
        break;
      case "ArrowUp":
        if (!count) return;
        event.preventDefault();
        if (!expanded) open();
        highlight(!expanded || active <= 0 ? count - 1 : active - 1);
        break;
      case "Home":
      case "End":
        // In the list: its first or last option; otherwise the cursor moves in the text.
        if (!expanded || active < 0) return;
        event.preventDefault();
        highlight(event.key === "Home" ? 0 : count - 1);
        break;
      case "Enter":
        if (expanded && active >= 0) {
          event.preventDefault();
          go(active);
        }
        break;
      case "Escape":
        if (expanded) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
          show([]);
          announce("");
        }
        break;
      case "Tab":
        close();
        break;
      default:
        break;
    }
  });

  // Pointer: pressing an option keeps the focus in the box; releasing on it opens it.
  list.addEventListener("mousedown", function (event) { event.preventDefault(); });
  list.addEventListener("click", function (event) {
    var option = event.target.closest("[role=option]");
    if (option) go(Array.prototype.indexOf.call(options(), option));
  });
  list.addEventListener("mousemove", function (event) {
    var option = event.target.closest("[role=option]");
    var index = option ? Array.prototype.indexOf.call(options(), option) : -1;
    if (index >= 0 && index !== active) highlight(index);
  });
  input.addEventListener("blur", close);
  input.addEventListener("focus", function () {
    if (items.length && input.value.trim().length >= 2) open();
  });
  // Back from a term page (the page restored from the back/forward cache): list closed.
  window.addEventListener("pageshow", close);
})();
