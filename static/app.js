// Hyperdesk's own script: small conveniences on pages that work the same without it. Loaded once
// (deferred, cached for good); it listens on the document, so pages htmx swaps in need nothing more.
(() => {
  const root = document.documentElement;
  // The receipt's "Print this receipt" button is shown where it can work.
  root.classList.add("can-print");
  document.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest(".print-button")) window.print();
  });

  // "9,950 characters left" under a limited box, counted as the person types; said to screen
  // readers once typing pauses, not on every key.
  const counts = new WeakMap();
  document.addEventListener("input", (event) => {
    const box = event.target;
    if (!(box instanceof HTMLTextAreaElement || box instanceof HTMLInputElement) || !("count" in box.dataset)) return;
    const note = document.getElementById(`${box.id}-count`);
    if (!note || box.maxLength <= 0) return;
    clearTimeout(counts.get(box));
    counts.set(
      box,
      setTimeout(() => {
        const left = box.maxLength - box.value.length;
        note.textContent =
          left >= 0
            ? `${left.toLocaleString("en")} ${left === 1 ? "character" : "characters"} left.`
            : `${(-left).toLocaleString("en")} characters too many.`;
      }, 300),
    );
  });

  // A file the desk will refuse for its size is named at once, before minutes of uploading on a
  // slow link end in the same answer from the server (which checks it all again anyway).
  const size = (bytes) => {
    if (bytes < 1024) return `${bytes} ${bytes === 1 ? "byte" : "bytes"}`;
    if (bytes < 1048576) return `${Math.round(bytes / 1024)} KB`;
    const mb = bytes / 1048576;
    return `${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB`;
  };
  const problem = (input) => {
    const files = Array.prototype.slice.call(input.files || []);
    const maxFiles = Number(input.dataset.maxFiles);
    const maxFile = Number(input.dataset.maxFile);
    const maxTotal = Number(input.dataset.maxTotal);
    if (files.length > maxFiles) return `You chose ${files.length} files: at most ${maxFiles} can go with one message.`;
    const big = files.find((f) => f.size > maxFile);
    if (big)
      return `“${big.name}” is ${size(big.size)}: each file can be at most ${size(maxFile)}. Choose a smaller one.`;
    const total = files.reduce((n, f) => n + f.size, 0);
    if (total > maxTotal)
      return `These files add up to ${size(total)}: at most ${size(maxTotal)} can go with one message.`;
    return null;
  };
  document.addEventListener("change", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.dataset.maxFile) return;
    const message = problem(input);
    let note = document.getElementById(`${input.id}-check`);
    if (!message) {
      note?.remove();
      return;
    }
    if (!note) {
      note = document.createElement("p");
      note.id = `${input.id}-check`;
      note.className = "error";
      note.setAttribute("role", "alert");
      input.before(note);
    }
    note.textContent = message;
    // Nothing too large stays chosen, so nothing too large is sent.
    input.value = "";
  });
})();
