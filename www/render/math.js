// Formulas typeset with KaTeX (bundled with its fonts; nothing comes from another origin).
// Elements carry their TeX in data-tex (and a plain-text version as their content, shown until
// KaTeX has run); data-display="true" sets a formula on its own line. katex.render builds DOM
// nodes and sets their styles through the CSSOM, which the page's Content-Security-Policy allows.
import katex from 'katex';

/** Typesets every element with data-tex under `root` that is not typeset yet. */
export function renderMath(root = document) {
  for (const node of root.querySelectorAll('[data-tex]:not([data-tex-done])')) {
    const plain = node.textContent;
    try {
      katex.render(node.dataset.tex, node, {
        displayMode: node.dataset.display === 'true',
        throwOnError: true,
        output: 'htmlAndMathml',
      });
      node.dataset.texDone = 'true';
    } catch {
      node.textContent = plain; // keep the plain text if the TeX cannot be typeset
    }
  }
}

/** An element (`tag`, class `className`) holding the typeset `tex`. */
export function mathNode(tex, { display = false, tag = display ? 'div' : 'span', className = '', plain = '' } = {}) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.dataset.tex = tex;
  if (display) node.dataset.display = 'true';
  node.textContent = plain || tex;
  renderMath(node.parentNode ?? wrap(node));
  return node;
}

function wrap(node) {
  const holder = document.createElement('div');
  holder.append(node);
  return holder;
}
