// Lesson presets: each one is a link's worth of state (dataset, selection, methods, view) that the
// page applies and runs, the way it applies a shared link. Features are named, not numbered, and
// random rows are drawn from a seed, so a lesson means the same thing whatever the table's order.
import { el } from './render/table.js';

export const LESSONS = [
  {
    id: 'sensitive',
    title: 'Forget a sensitive feature',
    text: 'UCI Adult census data: forget sex, race and marital status in every row — a large request, so the refined “exact” update joins the table.',
    link: { ds: 'adult', view: 'compare' },
    controls: { featureNames: ['sex', 'race', 'marital-status'], m: ['exact'], fv: '0' },
  },
  {
    id: 'poison',
    title: 'Repair poisoned labels',
    text: 'Breast Cancer: ten training labels are flipped before training (poison); unlearning the wrong labels repairs the model. Compare second-order with retraining.',
    link: { ds: 'breast-cancer', view: 'compare' },
    controls: { flip: { k: 10, seed: 7 }, poison: true, m: ['second_order_stepwise'] },
  },
  {
    id: 'person',
    title: 'Forget one person',
    text: 'Delete one patient’s row and follow the hedging path: for a single row the straight second-order line stays on the path.',
    link: { ds: 'breast-cancer', view: 'path', eps: 1 },
    controls: { rm: '42' },
  },
  {
    id: 'bend',
    title: 'Where the straight line bends',
    text: 'Forty flipped labels at once: the path curves and the straight updates fall away from it. Slide ε to see where.',
    link: { ds: 'breast-cancer', view: 'path', eps: 0.5 },
    controls: { flip: { k: 40, seed: 3 } },
  },
  {
    id: 'point',
    title: 'Forget one point, in 2‑D',
    text: 'The playground: click a point to remove it and compare the unlearned boundary with the retrained one.',
    link: { view: 'playground' },
  },
];

/** Renders the lesson buttons; `onPick(lesson)` runs one. */
export function renderLessons(container, onPick) {
  container.replaceChildren(
    ...LESSONS.map((lesson) => {
      const button = el('button', { type: 'button', className: 'lesson', id: `lesson-${lesson.id}`, 'data-lesson': lesson.id }, [
        el('span', { className: 'lesson__title', text: lesson.title }),
        el('span', { className: 'lesson__text text', text: lesson.text }),
      ]);
      button.addEventListener('click', () => onPick(lesson));
      return button;
    }),
  );
}
