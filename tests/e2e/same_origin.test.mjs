// The app is self-contained: no fonts, scripts, analytics or anything else from another
// origin, whatever the user does.

import assert from 'node:assert/strict';

import { BASE_URL, appTest, byTestId, clickTestId, openFiles, sleep } from './helpers.mjs';

appTest('the page requests nothing outside its own origin', { query: 'algo=least-connections&servers=4' }, async ({ page, context, requests }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(BASE_URL).origin });
  await clickTestId(page, 'fire-burst');
  await page.locator(byTestId('algo')).selectOption('round-robin');
  await clickTestId(page, 'share');
  await sleep(2_000);

  const origin = new URL(BASE_URL).origin;
  const foreign = requests.filter((url) => !/^(data|blob):/.test(url) && new URL(url).origin !== origin);
  assert.deepEqual(foreign, [], `requests outside ${origin}`);
  assert.ok(requests.length > 0, 'the page was loaded through the recorder');
});

// Every mode and layout, with the lessons' features switched on (caches, failures, bursts),
// and a preset loaded: still nothing but the app's own files.
const EVERY_MODE = [
  '',
  'mode=manual&servers=5',
  'mode=compare&algos=round-robin,least-connections,power-of-two,maglev',
  'mode=predict',
  'embed=1&controls=rate,algo,servers',
  'cache=per-server&zipf=1.1&algo=consistent-hash',
  'arrivals=bursty&retry=1&health-interval=0.5',
];

appTest('no mode or layout requests anything outside its own origin', { timeout: 120_000 }, async ({ page, open, requests }) => {
  const origin = new URL(BASE_URL).origin;
  for (const query of EVERY_MODE) {
    await open(query);
    for (const id of ['fire-burst', 'step']) {
      if (await page.locator(byTestId(id)).count()) await clickTestId(page, id);
    }
    await sleep(500);
  }
  if (await page.locator(byTestId('files-open')).count()) {
    await openFiles(page);
    const value = await page.locator(`${byTestId('preset')} option:nth-child(2)`).getAttribute('value');
    await page.locator(byTestId('preset')).selectOption(value);
    await sleep(500);
  }
  const foreign = requests.filter((url) => !/^(data|blob):/.test(url) && new URL(url).origin !== origin);
  assert.deepEqual(foreign, [], `requests outside ${origin}`);
  const files = [...new Set(requests.map((url) => new URL(url).pathname.replace(/-[0-9a-f]{8,}/, '-HASH')))];
  console.log(`requests over ${EVERY_MODE.length} modes and a preset: ${requests.length}, files ${files.join(' ')}`);
});
