// Fail a server while traffic flows: requests avoid it (its bar stays at 0 and says it is
// down) while the others keep working; heal it and it gets work again.

import assert from 'node:assert/strict';

import { appTest, clickTestId, decisions, eventually, metric, readBars, sleep } from './helpers.mjs';

// Light load (rho = 0.6 on the two servers left), failures noticed at once.
const QUERY = 'algo=round-robin&servers=3&rate=12&cost=0.1&health-interval=0&seed=3';

appTest('fail a server and see requests avoid it, then heal it', { query: QUERY, timeout: 120_000 }, async ({ page }) => {
  // Traffic flows on its own in auto mode.
  await eventually(async () => assert.ok((await metric(page, 'arrived')) >= 5, 'requests arrive in auto mode'), {
    timeout: 15_000,
  });

  await clickTestId(page, 'fail-server2');
  await eventually(
    async () => {
      const server2 = (await readBars(page)).find((b) => b.server === 'server2');
      assert.equal(server2.connections, 0, `server2 holds no connections once down, shows ${server2.connections}`);
    },
    { timeout: 5_000 },
  );

  const arrivedBefore = await metric(page, 'arrived');
  const completedBefore = await metric(page, 'completed');
  let othersBusy = 0;
  for (let i = 0; i < 30; i++) {
    const bars = await readBars(page);
    const server2 = bars.find((b) => b.server === 'server2');
    assert.equal(server2.connections, 0, `sample ${i}: server2 is down and must get nothing, shows ${server2.connections}`);
    assert.match(server2.label, /\bdown\b/i, `server2's bar says it is down: ${JSON.stringify(server2.label)}`);
    if (bars.some((b) => b.server !== 'server2' && b.connections > 0)) othersBusy++;
    await sleep(100);
  }
  assert.ok(othersBusy > 0, 'server1 or server3 held connections in some of 30 samples over 3 s');
  assert.ok((await metric(page, 'arrived')) > arrivedBefore, 'requests keep arriving');
  assert.ok((await metric(page, 'completed')) > completedBefore, 'requests keep completing on the others');

  await clickTestId(page, 'heal-server2');
  await eventually(
    async () => {
      const server2 = (await readBars(page)).find((b) => b.server === 'server2');
      const log = await decisions(page);
      assert.ok(
        server2.connections > 0 || log.some((entry) => /chose server2\b/.test(entry)),
        `after heal, server2 gets work again (connections ${server2.connections}; decisions ${JSON.stringify(log.slice(0, 5))})`,
      );
    },
    { timeout: 15_000 },
  );
  const server2 = (await readBars(page)).find((b) => b.server === 'server2');
  assert.doesNotMatch(server2.label, /\bdown\b/i, `server2's bar no longer says down: ${JSON.stringify(server2.label)}`);
});
