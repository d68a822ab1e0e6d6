// pingan public pages: the print button on article pages. Pages work without this script; it
// only shows the button when printing can be started from the page.
document.querySelectorAll(".print-button").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
