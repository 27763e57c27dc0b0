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
  // Two sizes that differ read differently: just past a limit both would be "10 MB", so bytes.
  const inBytes = (bytes) => {
    try {
      return new Intl.NumberFormat(root.lang || "en", { style: "unit", unit: "byte", unitDisplay: "long" }).format(
        bytes,
      );
    } catch {
      return `${bytes.toLocaleString(root.lang || "en")} B`;
    }
  };
  const sizes = (a, b) => (size(a) !== size(b) ? [size(a), size(b)] : [inBytes(a), inBytes(b)]);
  const fill = (words, values) => words.replace(/\{(\w+)\}/g, (all, name) => (name in values ? values[name] : all));
  const problem = (input) => {
    const files = Array.prototype.slice.call(input.files || []);
    const { maxFiles, maxFile, maxTotal, tooMany, tooBig, tooMuch } = input.dataset;
    if (files.length > Number(maxFiles)) return fill(tooMany, { count: files.length, max: maxFiles });
    const big = files.find((f) => f.size > Number(maxFile));
    if (big) {
      const [bigSize, max] = sizes(big.size, Number(maxFile));
      return fill(tooBig, { name: big.name, size: bigSize, max });
    }
    const total = files.reduce((n, f) => n + f.size, 0);
    if (total > Number(maxTotal)) {
      const [sum, max] = sizes(total, Number(maxTotal));
      return fill(tooMuch, { size: sum, max });
    }
    return null;
  };
  document.addEventListener("change", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.dataset.maxFile) return;
    const message = problem(input);
    let note = document.getElementById(`${input.id}-check`);
    if (input.form) delete input.form.dataset.warned;
    if (!message) {
      note?.remove();
      delete input.dataset.refused;
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
    // Nothing too large stays chosen, so nothing too large is sent; and the form, when sent, says
    // so first (below): a file refused here is never dropped without a word.
    input.dataset.refused = message;
    input.value = "";
  });

  // A form sent while a refused file's message stands is held once: the message says it was not
  // attached and how to go on (send again without it, or choose another). Caught before htmx
  // (capture, on the window), so neither htmx nor the browser sends it the first time.
  window.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || form.dataset.warned) return;
      const input = form.querySelector("input[type=file][data-refused]");
      const note = input && document.getElementById(`${input.id}-check`);
      if (!note) return;
      event.preventDefault();
      event.stopPropagation();
      form.dataset.warned = "1";
      note.textContent = fill(input.dataset.notSent, { problem: input.dataset.refused });
      note.setAttribute("tabindex", "-1");
      note.focus();
    },
    true,
  );

  // htmx's events are named with the page's meta character (htmx-config: "_"): htmx_config_request
  // is htmx:config:request.
  // A form with files: no time limit (a photo at 20 KB/s takes minutes, and a timed-out upload
  // loses the person's wait), and its progress shown as it goes. htmx sends with fetch, which
  // cannot tell upload progress; here the same request goes through XMLHttpRequest, which can.
  const withFiles = (body) =>
    body instanceof FormData &&
    Array.prototype.some.call(Array.from(body.values()), (v) => v instanceof File && v.size > 0);
  const statusOf = (form) => {
    let status = form.querySelector(".send-status");
    if (!status) {
      status = document.createElement("p");
      status.className = "send-status";
      status.setAttribute("role", "status");
      // The form's own row of buttons (a child: the composer's canned-reply picker has one inside it too).
      let actions = form.lastElementChild;
      for (let i = form.children.length - 1; i >= 0; i--)
        if (form.children[i].classList.contains("actions")) actions = form.children[i];
      form.insertBefore(status, actions);
    }
    return status;
  };
  const showProgress = (form, loaded, total) => {
    const status = statusOf(form);
    status.classList.remove("error");
    status.removeAttribute("role");
    let bar = status.querySelector("progress");
    if (!bar) {
      status.textContent = "";
      bar = document.createElement("progress");
      bar.max = 100;
      status.append(bar, document.createElement("span"));
    }
    const percent = total ? Math.floor((loaded / total) * 100) : 0;
    bar.value = percent;
    bar.nextSibling.textContent = ` ${fill(document.body.dataset.uploading || "{percent} %", {
      done: size(loaded),
      total: size(total),
      percent: percent.toLocaleString(root.lang || "en"),
    })}`;
  };
  const upload = (form) => (url, init) =>
    new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(init.method || "POST", url);
      for (const [name, value] of Object.entries(init.headers || {})) xhr.setRequestHeader(name, value);
      xhr.upload.addEventListener("progress", (e) => showProgress(form, e.loaded, e.total));
      xhr.addEventListener("load", () => {
        const headers = new Headers();
        for (const line of xhr.getAllResponseHeaders().trim().split(/\r?\n/)) {
          const at = line.indexOf(":");
          if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
        }
        const empty = xhr.status === 204 || xhr.status === 205 || xhr.status === 304;
        resolve(new Response(empty ? null : xhr.responseText, { status: xhr.status, headers }));
      });
      const fail = (name) => () => reject(new DOMException("The upload failed", name));
      xhr.addEventListener("error", fail("NetworkError"));
      xhr.addEventListener("abort", fail("AbortError"));
      init.signal?.addEventListener("abort", () => xhr.abort());
      xhr.send(init.body);
    });
  document.addEventListener("htmx_config_request", (event) => {
    const ctx = event.detail?.ctx;
    const form = ctx?.request?.form;
    if (!form || !withFiles(ctx.request.body)) return;
    ctx.request.timeout = 0;
    ctx.fetch = upload(form);
    showProgress(form, 0, 0);
  });
  // Any form that could not be sent (the connection failed, or a form without files ran out of
  // time) says so next to it; nothing was swapped, so the text and the chosen files are still there.
  document.addEventListener("htmx_error", (event) => {
    const form = event.detail?.ctx?.request?.form || event.target.closest?.("form");
    if (!(form instanceof HTMLFormElement)) return;
    const status = statusOf(form);
    status.textContent = document.body.dataset.sendFailed || "";
    status.className = "send-status error";
    status.setAttribute("role", "alert");
  });
  document.addEventListener("htmx_after_request", (event) => {
    const form = event.detail?.ctx?.request?.form;
    // Answered: the form is swapped for the server's answer, or stays; either way no progress is left.
    if (form instanceof HTMLFormElement && !form.querySelector(".send-status.error"))
      form.querySelector(".send-status")?.remove();
  });

  // The ticket page's "N new updates" (#updates, data-poll): asked once a minute while the tab is
  // in view, and at once when it comes back into view after a minute or more; never while hidden.
  // Each answer replaces the element (with a new address when "Show" moved the page's mark on).
  const MINUTE = 60000;
  let asked = Date.now();
  let timer;
  let asking = false;
  const poll = () => {
    clearTimeout(timer);
    timer = undefined;
    const box = document.getElementById("updates");
    if (asking || !box?.dataset.poll || document.hidden || !window.htmx) return;
    const wait = asked + MINUTE - Date.now();
    if (wait > 0) {
      timer = setTimeout(poll, wait);
      return;
    }
    asked = Date.now();
    asking = true;
    window.htmx
      .ajax("GET", box.dataset.poll, { target: "#updates", swap: "outerHTML" })
      .catch(() => {})
      .then(() => {
        asking = false;
        poll();
      });
  };
  document.addEventListener("visibilitychange", poll);
  // A page htmx brings in (a boosted link to a ticket) starts it too.
  document.addEventListener("htmx_after_swap", () => {
    if (!timer) poll();
  });
  poll();

  // Passkeys (WebAuthn) need this script: where the browser can make and use them, the passkey
  // buttons (hidden in the HTML) appear and the sentence that says they need it goes. Each asks
  // the server for options (JSON), lets the browser ask the person (PIN, fingerprint), and sends
  // the answer back; the server says where to go next, or sends the section to show.
  const PKC = window.PublicKeyCredential;
  const canPasskey = Boolean(PKC?.parseCreationOptionsFromJSON && PKC?.parseRequestOptionsFromJSON && window.fetch);
  const make = (tag, props, ...children) => {
    const el = Object.assign(document.createElement(tag), props);
    el.append(...children);
    return el;
  };
  const errorNote = () => make("p", { className: "error", hidden: true }, "");
  const showPasskeys = () => {
    if (!canPasskey) return;
    for (const box of document.querySelectorAll("[data-passkey-signin], [data-passkey-second]")) {
      if (box.dataset.built) continue;
      box.dataset.built = "1";
      const note = errorNote();
      note.setAttribute("role", "alert");
      note.dataset.passkeyError = "";
      const button = make(
        "button",
        { type: "button", className: "passkey-signin" in box.dataset ? "secondary" : "" },
        box.dataset.label,
      );
      box.append(button, note);
      if (box.dataset.or) box.append(make("p", {}, box.dataset.or));
    }
    for (const box of document.querySelectorAll("[data-passkey-add]")) {
      if (box.dataset.built) continue;
      box.dataset.built = "1";
      const input = make("input", { id: "passkey-name", name: "name", type: "text", maxLength: 60 });
      input.setAttribute("aria-describedby", "passkey-name-hint");
      const field = make(
        "div",
        { className: "field" },
        make("label", { htmlFor: "passkey-name" }, box.dataset.label),
        make("p", { id: "passkey-name-hint", className: "hint" }, box.dataset.hint),
        input,
      );
      const form = make("form", {}, field, make("button", { type: "submit" }, box.dataset.button));
      form.dataset.passkeyForm = "";
      form.setAttribute("data-hx-boost", "false");
      form.dataset.failed = box.dataset.failed;
      box.append(form);
    }
    for (const el of document.querySelectorAll("[data-passkey-none]")) el.hidden = true;
  };
  showPasskeys();
  document.addEventListener("htmx_after_swap", showPasskeys);
  const csrf = () => document.querySelector('input[name="_csrf"]')?.value ?? "";
  const post = (url, body) =>
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
      body: JSON.stringify(body ?? {}),
    });
  const say = (box, words) => {
    const note = box.querySelector("[data-passkey-error]");
    if (!note) return;
    note.textContent = words;
    note.hidden = !words;
  };
  /** Sign in (or finish the second step) with a passkey: the server's next address, or its words. */
  const usePasskey = async (box, base) => {
    say(box, "");
    try {
      const options = await post(`${base}/options`);
      const asked = await options.json();
      if (!options.ok) {
        if (asked.location) location.assign(asked.location);
        return say(box, asked.error || box.dataset.failed);
      }
      const credential = await navigator.credentials.get({ publicKey: PKC.parseRequestOptionsFromJSON(asked) });
      const answer = await post(base, { response: credential.toJSON(), next: box.dataset.next || "" });
      const result = await answer.json();
      if (result.location) location.assign(result.location);
      else say(box, result.error || box.dataset.failed);
    } catch {
      say(box, box.dataset.failed);
    }
  };
  document.addEventListener("click", (event) => {
    const button =
      event.target instanceof Element &&
      event.target.closest("[data-passkey-signin] button, [data-passkey-second] button");
    if (!button) return;
    const box = button.closest("[data-passkey-signin], [data-passkey-second]");
    usePasskey(box, "passkeySignin" in box.dataset ? "/login/passkey" : "/login/two-factor/passkey");
  });
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !("passkeyForm" in form.dataset)) return;
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const options = await post("/account/two-factor/passkeys/options");
      if (!options.ok) throw new Error(String(options.status));
      const asked = PKC.parseCreationOptionsFromJSON(await options.json());
      const credential = await navigator.credentials.create({ publicKey: asked });
      const answer = await post("/account/two-factor/passkeys", {
        name: form.elements.name.value,
        response: credential.toJSON(),
      });
      const section = document.getElementById("two-factor");
      if (section) section.outerHTML = await answer.text();
      showPasskeys();
    } catch {
      button.disabled = false;
      let note = form.querySelector("[data-passkey-error]");
      if (!note) {
        note = document.createElement("p");
        note.className = "error";
        note.setAttribute("role", "alert");
        note.dataset.passkeyError = "";
        form.append(note);
      }
      note.textContent = form.dataset.failed;
    }
  });
})();
