// The receipt's "Print this receipt" button: shown only where this script runs; without it the
// page says to use the browser's own Print command.
(() => {
  const button = document.querySelector(".print-button");
  if (!button) return;
  button.hidden = false;
  document.documentElement.classList.add("can-print");
  button.addEventListener("click", () => window.print());
})();
