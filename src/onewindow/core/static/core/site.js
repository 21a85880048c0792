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
// htmx does not swap 4xx answers by default. A boosted form refused (422 with the form and
// its errors, 409 when the case changed meanwhile) answers with the whole page: show it.
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  if (event.detail.boosted && status >= 400 && status < 500) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
