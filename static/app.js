// Hyperdesk's own script: small conveniences on pages that work the same without it. Loaded once
// (deferred, cached for good); it listens on the document, so pages htmx swaps in need nothing more.
(() => {
  const root = document.documentElement;
  // The receipt's "Print this receipt" button is shown where it can work.
  root.classList.add("can-print");
  // "Sending…" on a button while htmx sends its form (app.css), in the page's language. A property
  // set from script is not an inline style the CSP forbids; a new language is always a new page.
  if (document.body.dataset.sending) root.style.setProperty("--sending", JSON.stringify(document.body.dataset.sending));
  document.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest(".print-button")) window.print();
  });

  // "Characters left: 9,950" under a limited box, counted as the person types; said to screen
  // readers once typing pauses, not on every key. The words come with the page, in its language
  // (data-count, data-count-over), and the number is written the page language's way.
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
        const words = left >= 0 ? box.dataset.count : box.dataset.countOver;
        note.textContent = (words || "{count}").replace("{count}", Math.abs(left).toLocaleString(root.lang || "en"));
      }, 300),
    );
  });

  // A file the desk will refuse for its size is named at once, before minutes of uploading on a
  // slow link end in the same answer from the server (which checks it all again anyway). The
  // messages come with the page, in its language (data-too-many, data-too-big, data-too-much).
  const size = (bytes) => {
    const n = (x) => x.toLocaleString(root.lang || "en");
    if (bytes < 1024) return `${n(bytes)} B`;
    if (bytes < 1048576) return `${n(Math.round(bytes / 1024))} KB`;
    const mb = bytes / 1048576;
    return `${n(mb < 10 ? Math.round(mb * 10) / 10 : Math.round(mb))} MB`;
  };
  const fill = (words, values) => words.replace(/\{(\w+)\}/g, (all, name) => (name in values ? values[name] : all));
  const problem = (input) => {
    const files = Array.prototype.slice.call(input.files || []);
    const { maxFiles, maxFile, maxTotal, tooMany, tooBig, tooMuch } = input.dataset;
    if (files.length > Number(maxFiles)) return fill(tooMany, { count: files.length, max: maxFiles });
    const big = files.find((f) => f.size > Number(maxFile));
    if (big) return fill(tooBig, { name: big.name, size: size(big.size), max: size(Number(maxFile)) });
    const total = files.reduce((n, f) => n + f.size, 0);
    if (total > Number(maxTotal)) return fill(tooMuch, { size: size(total), max: size(Number(maxTotal)) });
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
