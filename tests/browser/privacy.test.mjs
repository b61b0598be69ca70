// Privacy canary: a CSV with a unique marker — in a column name and in a category — is read,
// trained on, unlearned and exported, while every request of the page is recorded with its
// headers and body. No request may leave the page's origin, and none may carry the marker.
// Offline, once loaded, the other built-in datasets and new files still work. Run `npm run build`
// first, then `node --test tests/browser/`.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../scripts/toolchain.mjs';
import { after, before, describe, it } from 'node:test';
import { comparisons, loaded, openDemo, TIMEOUT, unlearnAndWait, uploadCsv } from './helpers.mjs';

const MARKER = 'QZX7canary41F';

function canaryCsv() {
  const lines = [`${MARKER}_group,amount,flag`];
  for (let i = 0; i < 60; i += 1) {
    const group = i % 3 === 0 ? `${MARKER}-value` : i % 3 === 1 ? 'plain' : 'other';
    const amount = ((i * 37) % 23) / 4;
    const flag = (amount + (group === 'plain' ? 2 : 0) + ((i * 7) % 5)) % 2 > 1 ? 'on' : 'off';
    lines.push(`${group},${amount},${flag}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Every file below `dir` (a path relative to the repository), leaving out caches (dot folders,
 * node_modules) and files that vanish while it reads: other test files run at the same time,
 * and the development server writes its dependency cache as they do.
 */
function filesBelow(dir) {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    if (name.startsWith('.') || name === 'node_modules') return [];
    const path = join(dir, name);
    const stat = statSync(join(ROOT, path), { throwIfNoEntry: false });
    if (!stat) return [];
    return stat.isDirectory() ? filesBelow(path) : [path];
  });
}

describe('the page names no other host', () => {
  it('has no address of another origin in www/ (sources, data notes, the generated bindings) or the built site', () => {
    // XML namespace names (KaTeX's SVG and MathML) are identifiers, never fetched.
    const namespace = /^http:\/\/www\.w3\.org\/(2000\/svg|1998\/Math\/MathML|1999\/xlink)$/;
    const found = [];
    for (const file of [...filesBelow('www'), ...filesBelow('dist')]) {
      if (!/\.(js|mjs|html|css|json|md|txt)$/.test(file)) continue;
      const urls = readFileSync(join(ROOT, file), 'utf8').match(/https?:\/\/[^\s"'`)<>\\]+/g) ?? [];
      for (const url of urls) if (!namespace.test(url)) found.push(`${file}: ${url}`);
    }
    assert.deepEqual(found, []);
  });
});

describe('privacy canary: the data never leaves the page', { timeout: 8 * TIMEOUT }, () => {
  let demo;
  let page;
  const recorded = []; // {url, headers, body}
  const sockets = [];

  before(async () => {
    demo = await openDemo({
      beforeLoad: (p) => {
        p.on('request', (request) => {
          recorded.push(
            request.allHeaders().then((headers) => ({ url: request.url(), headers, body: request.postData() ?? '' })),
          );
        });
        p.on('websocket', (ws) => sockets.push(ws.url()));
      },
    });
    page = demo.page;
  }, { timeout: 3 * TIMEOUT });

  after(async () => {
    await demo?.close();
  });

  it('keeps the policy that forbids other origins', async () => {
    const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    for (const directive of ["default-src 'self'", "connect-src 'self'", "img-src 'self'", "form-action 'self'"]) {
      assert.ok(csp.includes(directive), `CSP has ${directive}`);
    }
    assert.match(await page.textContent('#privacy'), /never leaves this device.*works offline once loaded/);
    assert.match(await page.textContent('.data__privacy'), /nothing is uploaded/);
  });

  it('reads, trains, unlearns and exports a file with a marker without sending anything', { timeout: 2 * TIMEOUT }, async () => {
    await uploadCsv(page, 'canary.csv', canaryCsv());
    assert.equal(await page.getAttribute('#setup', 'data-ready'), 'true');
    assert.match(await page.textContent('#setup-columns'), new RegExp(MARKER));
    await page.click('#setup-train');
    await loaded(page, 2);
    const before = await comparisons(page);
    await page.check(`#feature-groups input[data-name="${MARKER}_group"]`);
    await page.fill('#remove-rows', '3, 9');
    await unlearnAndWait(page, before + 1);
    assert.match(await page.textContent('#theta-table'), new RegExp(`${MARKER}_group = ${MARKER}-value`));

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-report')]);
    assert.equal(new URL(download.url()).protocol, 'blob:');
    assert.equal(new URL(download.url()).origin, demo.origin, 'a same-origin Blob URL');
    const report = readFileSync(await download.path(), 'utf8');
    assert.ok(report.includes(MARKER), 'the report (saved on this device) names the column');
    const parsed = JSON.parse(report);
    assert.equal(parsed.edit.forgottenColumns[0].name, `${MARKER}_group`);
    assert.deepEqual(parsed.edit.deleted.map((d) => d.trainingRow), [3, 9]);
    assert.equal(parsed.methods.length, 5);
    assert.ok(parsed.methods.every((m) => Array.isArray(m.theta) && m.theta.length === parsed.model.theta.length));
    await page.waitForTimeout(300); // let any late request show up
  });

  it('sent no request to another origin and none with the marker', async () => {
    const requests = await Promise.all(recorded);
    assert.ok(requests.length > 0, 'the page loaded its own files');
    const foreign = requests.filter((r) => new URL(r.url).origin !== demo.origin);
    assert.deepEqual(foreign.map((r) => r.url), [], 'every request goes to the page origin');
    for (const r of requests) {
      const text = `${r.url}\n${JSON.stringify(r.headers)}\n${r.body}`;
      assert.ok(!text.includes(MARKER) && !text.toLowerCase().includes(MARKER.toLowerCase()), `request ${r.url} carries the marker`);
      assert.ok(!text.includes(encodeURIComponent(MARKER)), `request ${r.url} carries the encoded marker`);
    }
    assert.deepEqual(sockets, [], 'no WebSocket');
    assert.deepEqual(demo.log.pageErrors, []);
    assert.deepEqual(demo.log.consoleErrors, []);
    assert.deepEqual(demo.log.failedRequests, []);
  });

  it('works offline once loaded: another built-in dataset, and another file', { timeout: TIMEOUT }, async () => {
    // The small built-in files are fetched in the background after the start.
    await page.waitForFunction(() => performance.getEntriesByType('resource').filter((e) => /\/(adult|digits)-[^/]*\.csv$/.test(e.name)).length === 2, null, { timeout: 30_000 });
    await page.waitForTimeout(200);
    const requestsBefore = demo.log.requests.length;
    await page.context().setOffline(true);
    try {
      await page.check('#dataset-adult');
      await loaded(page, 3);
      assert.match(await page.textContent('#data-line'), /UCI Adult/);
      await uploadCsv(page, 'offline.csv', 'v,w,label\n1,2,a\n2,1,b\n3,3,a\n4,1,b\n5,2,a\n6,4,b\n');
      await page.click('#setup-train');
      await loaded(page, 4);
      assert.match(await page.textContent('#data-line'), /offline\.csv/);
    } finally {
      await page.context().setOffline(false);
    }
    // The browser itself asks for the tab icon again when the link in the address bar changes; it
    // carries nothing and the page does not need it. Anything else is a request the page made.
    const made = demo.log.requests.slice(requestsBefore).filter((url) => new URL(url).pathname !== '/favicon.png');
    assert.deepEqual(made, [], 'nothing was requested');
    assert.deepEqual(demo.log.failedRequests.filter((r) => !r.includes('/favicon.png ')), []);
    assert.deepEqual(demo.log.pageErrors, []);
  });
});
