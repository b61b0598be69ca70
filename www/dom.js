// Small page helpers shared by the front-end modules.

/** An error's message for people: without the "Error: " prefix wasm-bindgen's errors carry. */
export function errorText(err) {
  const text = err && typeof err.message === 'string' ? err.message : String(err);
  return text.replace(/^Error:\s*/, '');
}

/** Resolves after the browser has painted (so a status line shows before long work starts). */
export function nextFrame() {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

/** Saves `object` as the JSON file `name`, made on this device (a blob: URL, nothing is sent). */
export function downloadJson(name, object) {
  const blob = new Blob([`${JSON.stringify(object, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
