// What a Mentoring Mosaic page does in the browser, in one place (widgets/browser_actions.py).
//
// The kernel sends commands as messages ({do: "download" | "scroll", ...}); file bytes come as
// a binary buffer. The rest needs no message: the page's own clicks (copy, resume) must stay
// in the browser to count as the person's gesture, and a save's time is rewritten wherever a
// <time data-mm-local> appears. Nothing here is built from user text: names, texts and bytes
// arrive as data and are set as data (textContent, Blob, the download attribute).

const LOCAL_TIME = "time[data-mm-local]";
const BLOCKS = new Set(["start", "center", "end", "nearest"]);
const COPIED = "Copied. Paste it into an email or invitation.";
const NOT_COPIED = "Could not copy here: select the text above and press Ctrl+C (\u2318C).";

// -- a save's time, in the participant's own clock (the kernel's is UTC on Binder) ---------------
function localise(node) {
  if (node.nodeType !== Node.ELEMENT_NODE) return;
  const found = node.matches(LOCAL_TIME) ? [node] : node.querySelectorAll(LOCAL_TIME);
  for (const time of found) {
    const when = new Date(time.dateTime);
    if (Number.isNaN(when.getTime())) continue;
    const text = when.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    if (time.textContent !== text) time.textContent = text;
  }
}

// -- "Copy": the text sits HTML-escaped in a hidden textarea beside the button ---------------
function copy(button) {
  const box = button.closest(".mm-copy");
  const text = box?.querySelector("textarea");
  const done = box?.querySelector(".mm-copy-done");
  if (!text || !done) return;
  const said = (ok) => {
    done.textContent = ok ? COPIED : NOT_COPIED;
  };
  const old = () => {
    // a room server on the local network is plain http, where only this still copies
    text.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (e) {
      ok = false;
    }
    said(ok);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text.value).then(() => said(true), old);
  } else {
    old();
  }
}

// -- "Resume from a file" opens the hidden FileUpload's picker; a file too big is refused here ---
function guardUpload(upload, maxBytes) {
  // A FileUpload reads its file from an <input type=file> kept out of the page, so no listener
  // on the page sees its change event: the click that opens the picker lends
  // HTMLInputElement.click for one call, to put a first change listener on that input.
  const bar = upload.closest(".mm-filebar");
  const P = HTMLInputElement.prototype;
  const click = P.click;
  P.click = function (...args) {
    P.click = click;
    if (this.type === "file" && !this.mmGuard) {
      this.mmGuard = true;
      this.addEventListener(
        "change",
        function (ev) {
          const file = this.files && this.files[0];
          if (!file || file.size <= maxBytes) return;
          ev.stopImmediatePropagation();
          this.value = "";
          say(bar, tooBig(file, maxBytes));
        },
        true,
      );
    }
    return click.apply(this, args);
  };
  setTimeout(() => {
    if (P.click !== click) P.click = click;
  }, 0);
}

function tooBig(file, maxBytes) {
  const mb = (file.size / 1048576).toFixed(1);
  const limit = Math.floor(maxBytes / 1048576);
  return (
    `\u201c${file.name}\u201d is ${mb} MB; a workbook file is at most ${limit} MB, so it was not ` +
    "sent. Is this the right file? Yours is named like " +
    "\u201cmentoring-mosaic-my-workbook.json\u201d."
  );
}

function say(bar, text) {
  const status = bar?.querySelector(".mm-status .widget-html-content");
  if (!status) return;
  const line = document.createElement("div");
  line.className = "mm-status-error";
  line.setAttribute("role", "alert");
  line.textContent = text;
  status.replaceChildren(line);
}

function onClick(event, model) {
  const target = event.target;
  if (!(target instanceof Element)) return;
  const copyButton = target.closest(".mm-copy button");
  if (copyButton) {
    copy(copyButton);
    return;
  }
  const resume = target.closest(".mm-filebar .mm-resume");
  if (resume) {
    resume.closest(".mm-filebar")?.querySelector(".mm-upload")?.click();
    return;
  }
  const upload = target.closest(".mm-filebar .mm-upload");
  if (upload) guardUpload(upload, model.get("max_upload_bytes"));
}

// -- commands from the kernel ----------------------------------------------------------------
function download(name, mime, buffers) {
  // a Blob has no size limit (a data: link has); clicked once, freed a minute later
  const url = URL.createObjectURL(new Blob(buffers, { type: mime || "application/octet-stream" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

function scroll(selector, block, frames = 120) {
  // the element may still be hidden (a drawer opening): wait for it, at most ~2 s
  const el = document.querySelector(selector);
  if (el && el.getClientRects().length) {
    el.scrollIntoView({ block });
  } else if (frames > 0) {
    requestAnimationFrame(() => scroll(selector, block, frames - 1));
  }
}

function onMessage(msg, buffers) {
  if (msg?.do === "download" && typeof msg.name === "string") {
    download(msg.name, msg.mime, buffers);
  } else if (msg?.do === "scroll" && typeof msg.target === "string") {
    const block = BLOCKS.has(msg.block) ? msg.block : "start";
    requestAnimationFrame(() => scroll(msg.target, block));
  }
}

function initialize({ model }) {
  model.on("msg:custom", onMessage);
  // page-wide helpers: once per page, however many kernels' widgets it shows
  if (window.mmBrowserActions) return;
  window.mmBrowserActions = true;
  document.addEventListener("click", (event) => onClick(event, model), true);
  localise(document.body);
  new MutationObserver((records) => {
    for (const record of records) record.addedNodes.forEach(localise);
  }).observe(document.body, { childList: true, subtree: true });
}

export default { initialize };
