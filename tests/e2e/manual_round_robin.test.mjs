// The lesson's first exercise: round robin in manual mode, ten fires over three servers
// give 4, 3, 3 connections, and the decision log explains each pick in a sentence.

import assert from 'node:assert/strict';

import { appTest, clickTestId, decisions, expectConnections, eventually, readBars } from './helpers.mjs';

appTest('round robin manual exercise: 10 fires give 4,3,3', { query: 'mode=manual&algo=round-robin&servers=3' }, async ({ page }) => {
  const bars = await readBars(page);
  assert.deepEqual(
    bars.map((b) => b.server),
    ['server1', 'server2', 'server3'],
    'three bars named server1..server3',
  );
  await expectConnections(page, [0, 0, 0], 'before any fire');

  await clickTestId(page, 'fire', 10);
  await expectConnections(page, [4, 3, 3], 'after 10 fires');

  // Manual mode: nothing completes on its own.
  await new Promise((r) => setTimeout(r, 1000));
  await expectConnections(page, [4, 3, 3], 'one second later, in manual mode');

  for (const bar of await readBars(page)) {
    assert.equal(bar.inService + bar.waiting + bar.erring, bar.connections, `${bar.server}: in service + waiting + erring = connections`);
  }

  await eventually(async () => {
    const log = await decisions(page);
    assert.ok(log.length >= 10, `at least 10 decisions in the log, found ${log.length}: ${JSON.stringify(log)}`);
    for (const entry of log) {
      assert.match(entry, /round[- ]robin/i, `each decision names round robin: ${JSON.stringify(entry)}`);
    }
    for (const server of ['server1', 'server2', 'server3']) {
      assert.ok(
        log.some((entry) => entry.includes(server)),
        `some decision names ${server}: ${JSON.stringify(log)}`,
      );
    }
  });
});
