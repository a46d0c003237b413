// A lesson cannot dead-end a class. The backoff lesson's attempts fail from 10 s to 12 s and
// its task wants 40 failures after the rate is set to 24: its steps start with the clock
// stopped, so a learner who types the rate, then presses Play, as the step says, meets the
// outage with it; a short frame, which hides the clock's line, shows the time beside the
// buttons, so the step's "from 10 s to 12 s" can be followed there. A
// learner who presses Play first and acts too late has a task Show me cannot finish from where
// the lab is: the card says so, with a Restart this step button in view in a 720x480 frame
// beside the task (it was cut off inside its notice), and Show me from the step's start
// finishes the task. Without Show me, once the outage is over and the time Show me takes from
// the step's start has passed, the card says the faults ended with the task to do, with the
// same Restart this step.

import assert from 'node:assert/strict';

import { appUrl, browserTest, byTestId, eventually, unseen } from './helpers.mjs';

/** The lab's clock, in simulated seconds (its line is in the page, if hidden in a frame). */
const clockOf = (page) => page.evaluate(() => Number(/t = ([0-9.]+) s/.exec(document.querySelector('.clock')?.textContent ?? '')?.[1] ?? NaN));

browserTest('a backoff step starts with the clock stopped: the rate typed, then Play, does the task', { viewport: { width: 720, height: 480 }, timeout: 150_000 }, async ({ page }) => {
  await page.goto(appUrl('lesson=backoff&embed=1&speed=4'));
  await page.locator(byTestId('lesson-watch')).waitFor({ timeout: 30_000 });
  await page.waitForTimeout(1_500);
  assert.equal(await clockOf(page), 0, 'no time runs before the learner acts');
  assert.equal((await page.locator(byTestId('play-pause')).innerText()).trim(), 'Play');
  assert.deepEqual(await unseen(page, [['Play', byTestId('play-pause')], ['the time', byTestId('clock-short')]]), []);
  assert.equal((await page.locator(byTestId('clock-short')).innerText()).trim(), '0.0 s');
  const rate = page.getByRole('textbox', { name: 'Arrival rate (per second), typed' });
  await rate.fill('24');
  await rate.press('Enter');
  await page.locator(byTestId('play-pause')).click();
  await eventually(async () => assert.equal(await page.locator(byTestId('lesson-task')).getAttribute('data-done'), 'true'), { timeout: 60_000, interval: 250 });
  assert.ok((await clockOf(page)) >= 10, 'done in the outage, not before');
  // the time beside the buttons is the clock's (read at the same frame: the clock is paused now
  // or runs on; both texts are drawn together)
  const [line, short] = await page.evaluate(() => [document.querySelector('.clock').textContent, document.querySelector('[data-testid=clock-short]').textContent]);
  assert.equal(/t = ([0-9.]+) s/.exec(line)?.[1] + ' s', short.trim());
});

// 328x480 and 360x740 too: on a phone the notice takes the controls' room, as a question does
// (at 328x480 it was cut in half, its Restart this step with it).
for (const viewport of [{ width: 720, height: 480 }, { width: 360, height: 740 }, { width: 328, height: 480 }]) {
  browserTest(`Show me that cannot finish says so, and its Restart this step is in view and leads to the task done (${viewport.width}x${viewport.height})`, { viewport, timeout: 150_000 }, async ({ page }) => {
    // (the link's speed=4 is kept by each step: the 12.5 s below take about 3 s)
    await page.goto(appUrl('lesson=backoff&embed=1&speed=4'));
    await page.locator(byTestId('lesson-watch')).waitFor({ timeout: 30_000 });
    // the learner presses Play before typing the rate, and types it after the outage
    await page.locator(byTestId('play-pause')).click();
    const clock = () => clockOf(page);
    await eventually(async () => assert.ok((await clock()) > 12.5, `past the fault: ${await clock()}`), { timeout: 30_000, interval: 250 });
    // the time beside the buttons, whole (it was cut to "4…" beside Pause at 328x480)
    assert.deepEqual(await unseen(page, [['the time', byTestId('clock-short')]]), []);
    const cut = await page.locator(byTestId('clock-short')).evaluate((e) => [e.textContent, e.scrollWidth > e.clientWidth]);
    assert.equal(cut[1], false, `the time is cut: ${cut[0]}`);
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
}

for (const viewport of [{ width: 720, height: 480 }, { width: 360, height: 740 }, { width: 328, height: 480 }]) {
  browserTest(`past the outage with the task to do, the card says so without Show me (${viewport.width}x${viewport.height})`, { viewport, timeout: 150_000 }, async ({ page }) => {
    await page.goto(appUrl('lesson=backoff&embed=1&speed=4'));
    await page.locator(byTestId('lesson-watch')).waitFor({ timeout: 30_000 });
    // Play before the rate: the outage from 10 s to 12 s passes with no request in it
    await page.locator(byTestId('play-pause')).click();
    const stuck = page.locator(byTestId('lesson-stuck'));
    await eventually(async () => assert.ok((await clockOf(page)) > 20, `well past the outage: ${await clockOf(page)}`), { timeout: 30_000, interval: 250 });
    assert.equal(await stuck.count(), 0, 'not before the 25 s Show me takes from the step\'s start');
    await stuck.waitFor({ timeout: 30_000 });
    assert.ok((await clockOf(page)) > 25, 'after them');
    assert.match(await stuck.textContent(), /^The faults ended at 12 s\. Restart this step to see them again\.$/);
    assert.deepEqual(await unseen(page, [['the notice', byTestId('lesson-stuck')], ['its Restart this step', byTestId('lesson-stuck-restart')]]), []);
    // the step again, as it says: the rate typed, then Play, does the task
    await page.locator(byTestId('lesson-stuck-restart')).click();
    await eventually(async () => assert.equal(await stuck.count(), 0, 'the notice goes with the restart'));
    const rate = page.getByRole('textbox', { name: 'Arrival rate (per second), typed' });
    await rate.fill('24');
    await rate.press('Enter');
    if ((await page.locator(byTestId('play-pause')).innerText()).trim() === 'Play') await page.locator(byTestId('play-pause')).click();
    await eventually(async () => assert.equal(await page.locator(byTestId('lesson-task')).getAttribute('data-done'), 'true'), { timeout: 60_000, interval: 250 });
  });
}
