// The browser side of nnkit's Picture widget (see picture.py).
//
// It shows the PNG the kernel sends, as an <img>. While the student looks at
// one picture, the kernel draws the pictures one slider press away and sends
// them here ("offers"); when a press lands on one of those settings, the
// picture changes at once, in the browser, without waiting for Python.
// The kernel still answers every press with the same picture, later.

const KEPT = 48; // offers kept: a few presses' worth of neighbours (oldest forgotten first)

// A control's state as the kernel names it: choices by their index, the rest by value.
function stateOf(control) {
  const index = control.get("index");
  return index === undefined ? control.get("value") : index;
}

// Numbers equal up to rounding (0.1 + 0.2 is 0.3 here); anything else exactly.
function same(a, b) {
  if (typeof a === "number" && typeof b === "number") {
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, k) => same(x, b[k]));
  }
  return a === b;
}

async function linkedModels(model) {
  const manager = model.widget_manager;
  const find = (refs) => Promise.all(
    refs.map((ref) => manager.get_model(ref.replace(/^IPY_MODEL_/, ""))),
  );
  return { controls: await find(model.get("controls")), texts: await find(model.get("texts")) };
}

function render({ model, el }) {
  const img = document.createElement("img");
  img.alt = model.get("alt");
  img.style.cssText = "display: block; width: 100%; height: auto;";
  el.appendChild(img);
  let offers = []; // [{state, src, texts}], oldest first
  let linked = null; // the control and text models, once found

  function show(src, source, texts) {
    if (img.src !== src) {
      img.src = src;
    }
    img.dataset.source = source; // "kernel" or "ahead" (read by benchmarks/browser.py)
    // the texts that go with the picture: set here only (the kernel sends its own)
    if (texts && linked) linked.texts.forEach((text, k) => text.set("value", texts[k]));
  }
  function now() {
    return linked ? linked.controls.map(stateOf) : null;
  }
  function offerNow() {
    const state = now();
    return state ? offers.find((offer) => same(offer.state, state)) || null : null;
  }
  function onPress() {
    const offer = offerNow();
    if (offer) show(offer.src, "ahead", offer.texts);
  }
  function onKernelPicture(drawn) {
    // The kernel's picture, for the settings in drawn.state when it says so. One for the
    // settings on screen is the newest; one for settings a press or two ago gives way to
    // a picture drawn ahead for the settings on screen.
    const current = drawn && now() && same(drawn.state, now());
    if (drawn) {
      // the kernel's picture for these settings wins over one drawn ahead for them
      // (e.g. after training, the same settings show another picture): drop that one
      offers = offers.filter((offer) => !same(offer.state, drawn.state));
    }
    if (current || !offerNow()) show(model.get("value"), "kernel", drawn && drawn.texts);
    // once the kernel has caught up, it shows the same (read by the browser tests)
    img.dataset.agrees = String(img.src === model.get("value"));
  }
  function onMessage(content) {
    if (content.drawn) {
      onKernelPicture(content.drawn);
    } else if (content.forget) {
      offers = [];
    } else if (content.offer) {
      offers.push(content.offer);
      if (offers.length > KEPT) offers.shift();
    }
    img.dataset.offers = String(offers.length); // how many (read by the browser tests)
  }

  show(model.get("value"), "kernel");
  img.dataset.agrees = "true";
  model.on("change:value", () => onKernelPicture(null));
  model.on("msg:custom", onMessage);
  linkedModels(model).then((found) => {
    linked = found;
    for (const control of linked.controls) {
      control.on("change:value change:index", onPress);
    }
  });
  return () => {
    if (linked) {
      for (const control of linked.controls) control.off("change:value change:index", onPress);
    }
  };
}

export default { render };
