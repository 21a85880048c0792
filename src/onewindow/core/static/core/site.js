// Progressive enhancement only: every page works without this file.
// Listeners sit on the document, so that they also serve what htmx swaps in (a boosted form
// replaces the page's body without reloading it).
document.addEventListener("click", function (event) {
  var toggle = event.target.closest(".nav-toggle");
  var nav = document.getElementById("site-nav");
  if (toggle && nav) {
    var open = nav.classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }
  var asking = event.target.closest("[data-confirm]");
  if (asking && !window.confirm(asking.getAttribute("data-confirm"))) event.preventDefault();
});
// Esc closes the folded menu and gives the focus back to its button.
document.addEventListener("keydown", function (event) {
  var nav = document.getElementById("site-nav");
  var toggle = document.querySelector(".nav-toggle");
  if (event.key === "Escape" && nav && nav.classList.contains("open")) {
    nav.classList.remove("open");
    if (toggle) { toggle.setAttribute("aria-expanded", "false"); toggle.focus(); }
  }
});
// htmx does not swap 4xx answers by default. Two kinds of refusal are shown: a boosted form
// refused (422 with the form and its errors, 409 when the case changed meanwhile) answers with
// the whole page; a part marked data-swap-errors (an upload's row, the rating form) answers
// with itself naming the problem. The mark may sit on the element that sent the request or on
// the one its answer replaces.
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  if (status < 400 || status >= 500) return;
  var sender = event.detail.requestConfig && event.detail.requestConfig.elt;
  var marked = [sender, event.detail.target].some(function (element) {
    return element && element.closest && element.closest("[data-swap-errors]");
  });
  if (event.detail.boosted || marked) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
