// 'unlearn/auto' initialises itself with top-level await: no init() call needed.
import { fit, makeClassification } from 'unlearn/auto';

const data = makeClassification(200, 5, 7);
const model = fit(data.X, data.y, { C: 1 });
const summary = { classes: model.classes, proba: model.predictProba(data.X.slice(0, 5)) };
document.getElementById('summary').textContent = JSON.stringify(summary, null, 2);
document.getElementById('status').textContent = 'done';
document.body.dataset.status = 'done';
