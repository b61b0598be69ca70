// The tabs of the results panel (compare methods / hedging path): the ARIA tab pattern with a
// roving tabindex — arrow keys, Home and End move between the tabs, each tab shows its panel.

const byId = (id) => document.getElementById(id);

/** @param {{onSelect?: (view: string) => void}} hooks */
export function mountTabs({ onSelect = () => {} } = {}) {
  const tabs = [...document.querySelectorAll('.tabs [role="tab"]')];
  let current = tabs.find((t) => t.getAttribute('aria-selected') === 'true')?.dataset.view ?? 'compare';

  function select(view, { focus = false, user = false } = {}) {
    const tab = tabs.find((t) => t.dataset.view === view);
    if (!tab) return;
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      byId(t.getAttribute('aria-controls')).hidden = !on;
    }
    if (focus) tab.focus();
    document.body.dataset.view = view;
    const changed = view !== current;
    current = view;
    if (changed || user) onSelect(view);
  }

  for (const tab of tabs) {
    tab.addEventListener('click', () => select(tab.dataset.view, { user: true }));
    tab.addEventListener('keydown', (event) => {
      const i = tabs.indexOf(tab);
      const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[event.key];
      if (to === undefined) return;
      event.preventDefault();
      select(tabs[(to + tabs.length) % tabs.length].dataset.view, { focus: true, user: true });
    });
  }
  document.body.dataset.view = current;
  return { select, current: () => current };
}
