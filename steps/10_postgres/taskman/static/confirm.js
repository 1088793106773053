// Ask before submitting any form that has a data-confirm attribute.
// Without JavaScript the form still works: it is simply sent without asking.
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
