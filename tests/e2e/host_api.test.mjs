// The host-page API over postMessage (src/host.rs; docs/embedding.md, "Talking to the frame"): a course
// page on another origin (a second local server, another port) embeds the lab and talks to
// it. The frame says ready and its height, obeys fire and get-state, answers a bad value with
// an error naming the field, shrugs off garbage, reports each predict-mode guess, and ignores
// its real parent when origin= names another.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before } from 'node:test';

import { appUrl, browserTest, byTestId, connections, eventually, sleep } from './helpers.mjs';

let host;
let hostBase;

// The course page: an iframe of the lab at ?src=, 200 px tall until the frame says its
// height, and every lbviz message it hears from that frame in window.heard.
const HOST_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>host</title></head>
<body style="margin:0">
<iframe id="lab" title="lab" style="width:720px;height:200px;border:0;display:block"></iframe>
<script>
  window.heard = [];
  const lab = document.getElementById('lab');
  lab.src = new URLSearchParams(location.search).get('src');
  addEventListener('message', (e) => {
    if (e.source !== lab.contentWindow) return;
    window.heard.push({ origin: e.origin, data: e.data });
    if (e.data && e.data.lbviz === 1 && e.data.type === 'resize') lab.style.height = e.data.height + 'px';
  });
  window.send = (m) => lab.contentWindow.postMessage(m, '*');
</script>
</body></html>`;

before(async () => {
  host = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(HOST_PAGE);
  });
  await new Promise((r) => host.listen(0, '127.0.0.1', r));
  hostBase = `http://127.0.0.1:${host.address().port}`;
  assert.notEqual(new URL(hostBase).origin, new URL(appUrl()).origin, 'the host page is on another origin');
});

after(() => host?.close());

async function openHost(page, query) {
  await page.goto(`${hostBase}/?src=${encodeURIComponent(appUrl(query))}`);
  const frame = page.frameLocator('#lab');
  await frame.locator(byTestId('server-bar')).first().waitFor({ state: 'attached', timeout: 30_000 });
  return page.frames().find((f) => f !== page.mainFrame());
}

const heard = (page) => page.evaluate(() => window.heard.map((h) => h.data));
const ofType = async (page, type) => (await heard(page)).filter((m) => m && m.lbviz === 1 && m.type === type);
const send = (page, message) => page.evaluate((m) => window.send(m), message);

async function waitFor(page, type, what = type) {
  return eventually(
    async () => {
      const found = await ofType(page, type);
      assert.ok(found.length > 0, `the host heard no ${what}; it heard ${JSON.stringify(await heard(page)).slice(0, 400)}`);
      return found;
    },
    { timeout: 10_000 },
  );
}

browserTest('the frame talks to a host page on another origin', { viewport: { width: 900, height: 700 } }, async ({ page }) => {
  // Without embed=1 the lab has a height of its own for the frame to follow (with embed=1 it
  // fills whatever frame it is given, and reports that).
  const frame = await openHost(page, 'mode=manual&servers=3');

  const [ready] = await waitFor(page, 'ready');
  assert.equal(ready.version, 1);
  assert.match(ready.query, /mode=manual/);
  const origins = await page.evaluate(() => [...new Set(window.heard.map((h) => h.origin))]);
  assert.deepEqual(origins, [new URL(appUrl()).origin], 'every message comes from the lab');

  // The height: the frame's content, and the host's iframe follows it.
  await eventually(
    async () => {
      const sizes = await ofType(page, 'resize');
      const last = sizes.at(-1)?.height;
      const scrollHeight = await frame.evaluate(() => document.documentElement.scrollHeight);
      assert.ok(last > 200, `resize height ${last}`);
      assert.ok(Math.abs(last - scrollHeight) <= 2, `resize ${last} vs the frame's scrollHeight ${scrollHeight}`);
      const box = await page.locator('#lab').boundingBox();
      assert.ok(Math.abs(box.height - last) <= 1, `the iframe is ${box.height} px tall, the frame said ${last}`);
    },
    { timeout: 10_000 },
  );
  const canvas = (await heard(page)).filter((m) => m && m.subject === 'lti.frameResize');
  assert.ok(canvas.length > 0 && canvas.at(-1).height > 200, "Canvas's lti.frameResize beside each resize");

  // Commands become the buttons' actions.
  await send(page, { lbviz: 1, type: 'fire', count: 3 });
  await eventually(async () => assert.equal((await connections(frame)).reduce((a, b) => a + b, 0), 3, 'three requests fired'));
  await send(page, { lbviz: 1, type: 'get-state' });
  const [state] = await waitFor(page, 'state');
  assert.equal(state.mode, 'manual');
  assert.equal(state.summary.arrived, 3);
  assert.equal(state.summary.inFlight, 3);
  assert.deepEqual(
    state.summary.servers.map((s) => s.connections),
    [1, 1, 1],
    'round robin: one each',
  );
  assert.equal(state.summary.p95, null, 'no completions yet: no p95');

  // A bad value is answered, naming the field; nothing happens.
  await send(page, { lbviz: 1, type: 'fire', count: 1000 });
  const [error] = await waitFor(page, 'error');
  assert.equal(error.command, 'fire');
  assert.equal(error.field, 'count');
  assert.equal(error.value, '1000');
  assert.match(error.message, /1 to 100/);
  await send(page, { lbviz: 1, type: 'load-scenario', query: 'servers=500' });
  await eventually(async () => assert.equal((await ofType(page, 'error')).length, 2));
  assert.equal((await ofType(page, 'error'))[1].field, 'servers');
  // Nothing loads, so the answer says what is allowed, not that the page uses 64.
  assert.equal((await ofType(page, 'error'))[1].message, 'allowed in the browser: 1 to 64');

  // Garbage is ignored, and the lab goes on.
  for (const junk of ['fire', { type: 'fire', count: 3 }, null, 42, [1, 2], { lbviz: '1', type: 'reset' }]) await send(page, junk);
  await sleep(300);
  assert.equal((await ofType(page, 'error')).length, 2, 'no answer to what is not an lbviz message');
  assert.equal((await connections(frame)).reduce((a, b) => a + b, 0), 3, 'nothing fired or reset');
  await send(page, { lbviz: 1, type: 'reset' });
  await eventually(async () => assert.deepEqual(await connections(frame), [0, 0, 0], 'reset'));

  // A scenario from the host, checked as the address would be.
  await send(page, { lbviz: 1, type: 'load-scenario', query: 'mode=predict&servers=4&algo=round-robin' });
  await frame.locator(byTestId('guess-server1')).waitFor({ timeout: 10_000 });
  assert.equal((await connections(frame)).length, 4);

  // Predict mode: each guess reaches the host with the score.
  await frame.locator(byTestId('guess-server1')).click();
  const [first] = await waitFor(page, 'prediction');
  assert.deepEqual(
    { guess: first.guess, answer: first.answer, correct: first.correct, right: first.right, total: first.total },
    { guess: 'server1', answer: 'server1', correct: true, right: 1, total: 1 },
  );
  await frame.locator(byTestId('guess-server1')).click();
  await eventually(async () => assert.equal((await ofType(page, 'prediction')).length, 2));
  const second = (await ofType(page, 'prediction'))[1];
  assert.deepEqual([second.answer, second.correct, second.right, second.total], ['server2', false, 1, 2]);
});

browserTest('with origin= naming another site, the real parent is not listened to', { viewport: { width: 900, height: 700 } }, async ({ page }) => {
  const frame = await openHost(page, 'mode=manual&servers=3&embed=1&origin=https://lms.example.edu');
  assert.equal(await frame.locator(byTestId('param-warning')).count(), 0, 'origin= is a valid setting');
  await send(page, { lbviz: 1, type: 'fire', count: 3 });
  await send(page, { lbviz: 1, type: 'get-state' });
  await send(page, { lbviz: 1, type: 'fire', count: 1000 });
  await sleep(800);
  assert.deepEqual(await connections(frame), [0, 0, 0], 'the fire command was ignored');
  assert.deepEqual(await heard(page), [], 'nothing is posted to this page, not even ready');
  // The lab itself still works.
  await frame.locator(byTestId('fire')).click();
  await eventually(async () => assert.deepEqual(await connections(frame), [1, 0, 0]));
});

browserTest('a bad origin= is named in the notice', { viewport: { width: 900, height: 700 } }, async ({ page }) => {
  const frame = await openHost(page, 'mode=manual&embed=1&origin=*');
  const notice = frame.locator(byTestId('param-warning'));
  await notice.waitFor({ timeout: 10_000 });
  assert.match(await notice.innerText(), /origin/);
});
