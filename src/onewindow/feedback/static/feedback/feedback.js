// Progressive enhancement for the rate page; the page works without it.
// htmx does not swap 4xx responses by default. A refused rating answers 422 with the form
// that names the problem: let elements marked data-swap-errors show it.
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  var source = event.target;
  if (status >= 400 && status < 500 && source && source.closest("[data-swap-errors]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
