// Previews of linked terms (the "Term: description" shown under a linked mention in a term's
// or an article's text). The style sheet shows them on hover and focus without this script;
// the script makes them meet WCAG 2.2 SC 1.4.13 and work on a phone:
// - placed just under the link, inside the text column (never over the side column), with
//   no gap the pointer could fall through on its way onto the preview, which stays while
//   hovered (the style sheet's .term-preview:hover);
// - Escape hides the preview shown, until the pointer or the focus comes back to its link;
// - a tap on a link shows its preview with a link to the term; a second tap opens the term.
// Written by hand: no maintained library does this without a style sheet of its own and
// inline styles set from markup, which the site's CSP forbids (setting element.style from a
// script, as here, is allowed).
(function () {
  "use strict";
  var links = document.querySelectorAll("a.term-link[aria-describedby]");
  if (!links.length) return;
  var GAP = 6; // px between the link and its preview: the preview's ::before bridges it
  var current = null; // the preview last shown
  var touched = false; // the last pointer press was a finger's

  function previewOf(link) {
    var preview = document.getElementById(link.getAttribute("aria-describedby"));
    return preview && preview.classList.contains("term-preview") ? preview : null;
  }

  function place(link, preview) {
    var column = link.closest(".body") || link.parentElement;
    var bounds = column.getBoundingClientRect();
    // A link broken across lines: under its last line, so the preview covers none of it.
    var rects = link.getClientRects();
    var spot = rects[rects.length - 1] || link.getBoundingClientRect();
    var origin = { left: -window.scrollX, top: -window.scrollY }; // the initial containing block
    var parent = preview.offsetParent;
    if (parent && parent !== document.body && getComputedStyle(parent).position !== "static") {
      origin = parent.getBoundingClientRect();
    }
    preview.style.margin = "0";
    var width = preview.getBoundingClientRect().width;
    var left = Math.min(spot.left, bounds.right - width);
    left = Math.max(left, Math.min(bounds.left, window.innerWidth - width));
    preview.style.left = Math.round(left - origin.left) + "px";
    preview.style.top = Math.round(spot.bottom + GAP - origin.top) + "px";
  }

  function show(link, open) {
    var preview = previewOf(link);
    if (!preview) return null;
    if (current && current !== preview) close(current);
    preview.classList.remove("is-dismissed");
    if (open) preview.classList.add("is-open");
    current = preview;
    place(link, preview);
    return preview;
  }

  function close(preview) {
    preview.classList.remove("is-open");
    if (current === preview) current = null;
  }

  function goLink(link, preview) {
    if (preview.querySelector(".term-preview__go")) return;
    var go = document.createElement("a");
    go.className = "term-preview__go";
    go.href = link.href;
    go.textContent = "Open the term";
    preview.appendChild(go);
  }

  links.forEach(function (link) {
    link.addEventListener("mouseenter", function () { show(link); });
    link.addEventListener("focus", function () { show(link); });
    link.addEventListener("blur", function () {
      var preview = previewOf(link);
      if (preview) preview.classList.remove("is-dismissed");
    });
    link.addEventListener("pointerdown", function (event) {
      touched = event.pointerType === "touch" || event.pointerType === "pen";
    });
    link.addEventListener("click", function (event) {
      var preview = previewOf(link);
      if (!touched || !preview) return;
      touched = false;
      if (preview.classList.contains("is-open")) return; // the second tap opens the term
      event.preventDefault();
      goLink(link, preview);
      show(link, true);
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !current) return;
    current.classList.add("is-dismissed");
    current.classList.remove("is-open");
  });

  // A tap anywhere else closes a preview opened by a tap.
  document.addEventListener("click", function (event) {
    if (!current || !current.classList.contains("is-open")) return;
    var link = event.target.closest && event.target.closest("a.term-link");
    if (current.contains(event.target) || (link && previewOf(link) === current)) return;
    close(current);
  });
})();
