// The app is self-contained: no fonts, scripts, analytics or anything else from another
// origin, whatever the user does.

import assert from 'node:assert/strict';

import { BASE_URL, appTest, byTestId, clickTestId, sleep } from './helpers.mjs';

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
