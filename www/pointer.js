// Layout changes that a blur causes (an inline message appearing or disappearing) must wait until
// the press that caused the blur has become a click: otherwise the button under the pointer moves
// between press and release and the click is lost. `afterPress(fn)` runs `fn` now, or — while a
// pointer is pressed — right after the click (or shortly after the release, if no click follows).

let pressed = false;
let waiting = [];
let fallback = 0;

function flush() {
  clearTimeout(fallback);
  pressed = false;
  const run = waiting;
  waiting = [];
  // After the click's own handlers, which read and render the current state first.
  setTimeout(() => run.forEach((fn) => fn()), 0);
}

if (typeof window !== 'undefined') {
  window.addEventListener('pointerdown', () => {
    pressed = true;
  }, true);
  window.addEventListener('click', () => {
    if (pressed || waiting.length > 0) flush();
  }, true);
  for (const type of ['pointerup', 'pointercancel']) {
    window.addEventListener(type, () => {
      clearTimeout(fallback);
      fallback = setTimeout(flush, 250);
    }, true);
  }
}

/** Runs `fn` now, or after the click of the press in progress. */
export function afterPress(fn) {
  if (pressed) waiting.push(fn);
  else fn();
}
