// Buttons marked data-print open the browser's print dialog. A file of its own, because the
// Content-Security-Policy allows no inline script.
document.querySelectorAll("[data-print]").forEach(function (b) {
  b.hidden = false;
  b.addEventListener("click", function () { window.print(); });
});
