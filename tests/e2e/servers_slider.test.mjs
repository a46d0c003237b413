// The servers slider adds and removes bars, and the URL follows (servers=N; the URL leaves
// out a parameter at its default, so 3 servers may show as no servers= at all).

import assert from 'node:assert/strict';

import { appTest, clickTestId, eventually, queryOf, readBars, setRange } from './helpers.mjs';

async function expectServers(page, n, what) {
  await eventually(async () => {
    const bars = await readBars(page);
    assert.equal(bars.length, n, `${what}: expected ${n} bars, found ${bars.length} (${bars.map((b) => b.server)})`);
    assert.equal(queryOf(page).servers ?? '3', String(n), `${what}: expected servers=${n} in the URL ${page.url()}`);
  });
}

appTest('servers slider adds bars and updates the URL', { query: 'mode=manual&servers=3' }, async ({ page }) => {
  await setRange(page, 'servers', 6);
  await expectServers(page, 6, 'slider to 6');
  const names = (await readBars(page)).map((b) => b.server);
  assert.equal(new Set(names).size, 6, `six distinct server names: ${names}`);

  await setRange(page, 'servers', 2);
  await expectServers(page, 2, 'slider to 2');

  await clickTestId(page, 'add-server', 2);
  await expectServers(page, 4, 'add-server button twice');
  await eventually(async () =>
    assert.equal(await page.locator('[data-testid="servers"]').inputValue(), '4', 'the slider follows the add-server button'),
  );

  await clickTestId(page, 'remove-server');
  await expectServers(page, 3, 'remove-server button');
});
