// Accessibility: axe-core (pinned in package.json) run on every view a learner meets, in light
// and dark: the main view, manual, compare, predict, an embed with a lesson title, a pool
// with a draining and a failed server, and the embed builder (the Share dialog). No violation of serious or critical impact may remain
// (axe's own grading; moderate and minor ones are printed, not failed on).
//
// axe is evaluated through the DevTools protocol, which the page's Content-Security-Policy
// does not govern, so the page under test is the page as served.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { ROOT, appTest, clickTestId } from './helpers.mjs';

const AXE = await readFile(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

const VIEWS = [
  ['the main view', ''],
  ['manual mode', 'mode=manual&servers=3'],
  ['compare mode', 'mode=compare&algos=round-robin,least-connections,power-of-two'],
  ['predict mode', 'mode=predict&servers=3'],
  ['an embed with a lesson title', 'embed=1&mode=manual&title=Round%20robin&caption=Fire%20ten%20requests'],
  ['a guided lesson', 'lesson=course'],
  ['a guided lesson in an embed', 'lesson=caches&embed=1'],
  ['a lesson that could not be used', 'lesson=nope'],
];

async function violations(page) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
  }));
}

function assertNoSerious(found, where) {
  const serious = found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const rest = found.filter((v) => !serious.includes(v));
  if (rest.length > 0) console.log(`${where}: ${rest.map((v) => `${v.id} (${v.impact})`).join(', ')}`);
  assert.deepEqual(serious, [], `${where}: serious or critical violations`);
}

for (const scheme of ['light', 'dark']) {
  for (const [name, query] of VIEWS) {
    appTest(`axe finds nothing serious in ${name}, ${scheme}`, { query }, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.waitForTimeout(300);
      assertNoSerious(await violations(page), `${name} (${scheme})`);
    });
  }

  appTest(`axe finds nothing serious with a draining and a failed server, ${scheme}`, { query: 'mode=manual&servers=4' }, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await clickTestId(page, 'fire-burst');
    await clickTestId(page, 'drain-server2');
    await clickTestId(page, 'fail-server3');
    await page.waitForTimeout(300);
    assertNoSerious(await violations(page), `draining and failed (${scheme})`);
  });

  appTest(`axe finds nothing serious in the embed builder, ${scheme}`, { query: 'servers=4' }, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await clickTestId(page, 'share');
    await page.locator('[data-testid="builder"]').waitFor({ timeout: 30_000 });
    await page.check('[data-testid="builder-mode-compare"]');
    await page.waitForTimeout(800);
    assertNoSerious(await violations(page), `the embed builder (${scheme})`);
  });
}
