// Presets apply through the URL parser; the scenario downloads as the JSON lbsim reads and
// uploads again; a bad file gives a notice; the metrics download as CSV.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

import { appTest, byTestId, eventually, openFiles, queryOf, readBars } from './helpers.mjs';

async function downloadText(page, testid) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator(byTestId(testid)).click()]);
  return { name: download.suggestedFilename(), text: await readFile(await download.path(), 'utf8') };
}

appTest('presets apply, scenario JSON and metrics CSV download, upload checks the file', { viewport: { width: 1280, height: 800 }, timeout: 120_000 }, async ({ page }) => {
  await openFiles(page);
  await page.selectOption(byTestId('preset'), 'slow-server');
  await eventually(async () => assert.equal(queryOf(page).speeds, '1,1,1,0.25'));
  assert.equal((await readBars(page)).length, 4);
  assert.match(await page.locator(byTestId('preset-explanation')).innerText(), /quarter of the speed/);
  assert.equal(await page.locator(byTestId('preset')).inputValue(), 'slow-server', 'the select shows the preset applied');

  await page.selectOption(byTestId('preset'), 'round-robin-lesson');
  await eventually(async () => assert.equal(queryOf(page).mode, 'manual'));
  assert.equal((await readBars(page)).length, 3);

  await page.selectOption(byTestId('preset'), 'hash-with-caches');
  await eventually(async () => assert.equal(queryOf(page).cache, 'per-server'));
  assert.equal((await readBars(page)).length, 8);

  const json = await downloadText(page, 'download-scenario');
  assert.equal(json.name, 'lbviz-scenario.json');
  const scenario = JSON.parse(json.text);
  assert.equal(scenario.algo, 'consistent-hash');
  assert.equal(scenario.servers, 8);
  assert.equal(scenario['cache-size'], 100);

  const csv = await downloadText(page, 'download-csv');
  const lines = csv.text.trim().split('\n');
  assert.match(lines[0], /^algo,duration_s,arrived,/);
  assert.match(lines[1], /^consistent-hash,/);

  await page.locator(byTestId('upload-scenario')).setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"servers": 0, "colour": "blue"}') });
  const warning = page.locator(byTestId('file-warning'));
  await warning.waitFor({ state: 'visible', timeout: 5_000 });
  assert.match(await warning.innerText(), /bad\.json.*colour/);
  assert.equal((await readBars(page)).length, 8, 'a bad file changes nothing');

  scenario.servers = 5;
  scenario.algo = 'maglev';
  await page.locator(byTestId('upload-scenario')).setInputFiles({ name: 'good.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(scenario)) });
  await eventually(async () => assert.equal((await readBars(page)).length, 5));
  await eventually(async () => assert.equal(queryOf(page).algo, 'maglev'));
  assert.equal(await page.locator(byTestId('file-warning')).count(), 0, 'a good file clears the notice');
});

appTest('the panel is closed at first, and its content loads when opened', { viewport: { width: 1280, height: 800 } }, async ({ page }) => {
  assert.equal(await page.locator(byTestId('files-open')).evaluate((d) => d.open), false, 'closed at first');
  assert.equal(await page.locator(byTestId('preset')).count(), 0, 'nothing drawn inside yet');
  await openFiles(page);
  assert.match(await page.locator(byTestId('preset-explanation')).innerText(), /Each preset sets up one lesson/);
});

appTest('presets panel on a phone', { viewport: { width: 360, height: 740 } }, async ({ page }) => {
  await page.locator(byTestId('files-panel')).scrollIntoViewIfNeeded();
  await openFiles(page);
  await page.selectOption(byTestId('preset'), 'flash-crowd');
  await eventually(async () => assert.equal(queryOf(page).arrivals, 'bursty'));
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= 361, `no sideways scrolling: ${scrollWidth}`);
});
