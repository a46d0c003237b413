// A lesson cannot dead-end a class: a learner who acts too late for a step's scheduled fault
// (the backoff lesson's attempts fail from 10 s to 12 s; its task wants 40 failures after the
// rate is set to 24) has a task Show me cannot finish from where the lab is. The card says so,
// with a Restart this step button in view in a 720x480 frame beside the task (it was cut off
// inside its notice), and Show me from the step's start finishes the task.

import assert from 'node:assert/strict';

import { appUrl, browserTest, byTestId, eventually, unseen } from './helpers.mjs';

browserTest('Show me that cannot finish says so, and its Restart this step is in view and leads to the task done', { viewport: { width: 720, height: 480 }, timeout: 150_000 }, async ({ page }) => {
  // speed 4: the step's 12 s of simulated time pass in 3 s
  await page.goto(appUrl('lesson=backoff&embed=1&speed=4'));
  await page.locator(byTestId('lesson-watch')).waitFor({ timeout: 30_000 });
  const clock = () => page.evaluate(() => Number(/t = ([0-9.]+) s/.exec(document.querySelector('.clock')?.textContent ?? '')?.[1] ?? NaN));
  await eventually(async () => assert.ok((await clock()) > 12.5, `past the fault: ${await clock()}`), { timeout: 30_000, interval: 250 });
  const rate = page.getByRole('textbox', { name: 'Arrival rate (per second), typed' });
  await rate.fill('24');
  await rate.press('Enter');
  await page.getByRole('button', { name: 'Show me' }).click();
  const stuck = page.locator(byTestId('lesson-stuck'));
  await stuck.waitFor({ timeout: 60_000 });
  assert.match(await stuck.textContent(), /cannot finish from here/);
  assert.deepEqual(await unseen(page, [['the notice', byTestId('lesson-stuck')], ['its Restart this step', byTestId('lesson-stuck-restart')]]), []);

  await page.locator(byTestId('lesson-stuck-restart')).click();
  await page.getByRole('button', { name: 'Show me' }).click();
  await eventually(async () => assert.equal(await page.locator(byTestId('lesson-task')).getAttribute('data-done'), 'true'), { timeout: 60_000, interval: 250 });
});
