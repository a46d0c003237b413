// Every built-in lesson, played through as a class would meet it inside a course page: in a
// 720x480 frame, at 360x740 and at 328x480. At each step the step's words, the task, the
// question's wording (once it opens), the controls the step names and the bars (their
// baseline, names and counts) must be on screen: inside the viewport and not clipped by a
// scroller, with the page itself not scrolling. Show me does each task (so the test also
// proves each script finishes its task from the step's start); the first choice answers each
// question. A screenshot of every step, light and dark, goes to target/e2e/frames/ to be
// looked at.
//
// Not yet part of the suite (its name does not end in .test.mjs): on 2026-12-05 it fails on
// every lesson in at least one frame (a long step's task clipped in the card beside a tall
// panel at 720x480, a named panel taller than its column, the power-of-two step's counts
// hidden by its 16 servers' label tier, the Complete buttons below a 360x740 fold once the
// question opens), which issue 18's layout work is to fix. Run it against a served build:
//   LBVIZ_URL=http://127.0.0.1:8080/ node --test tests/e2e/lesson_frames.audit.mjs

import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { ROOT, appUrl, browserTest, byTestId, eventually } from './helpers.mjs';

const LESSONS = ['course', 'slow-server', 'caches', 'failures', 'power-of-two'];
const FRAMES = [
  { width: 720, height: 480 },
  { width: 360, height: 740 },
  { width: 328, height: 480 },
];
const SHOTS = join(ROOT, 'target', 'e2e', 'frames');

/**
 * What of `selectors` is not fully on screen: each element matched (the first `all` of them
 * when `all` is set, else the first) must have a box, lie inside the viewport (1 px of
 * rounding allowed) and inside every ancestor that clips its overflow.
 */
async function unseen(page, selectors) {
  return page.evaluate((selectors) => {
    const out = [];
    const clipped = (el) => {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) return 'has no box';
      if (r.top < -1 || r.left < -1 || r.bottom > innerHeight + 1 || r.right > innerWidth + 1) {
        return `is outside the viewport (${Math.round(r.top)}..${Math.round(r.bottom)} of ${innerHeight})`;
      }
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        const style = getComputedStyle(a);
        if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
        const c = a.getBoundingClientRect();
        if (r.top < c.top - 1 || r.bottom > c.bottom + 1 || r.left < c.left - 1 || r.right > c.right + 1) {
          return `is clipped by ${a.tagName.toLowerCase()}.${[...a.classList].join('.')} (${Math.round(r.top)}..${Math.round(r.bottom)} in ${Math.round(c.top)}..${Math.round(c.bottom)})`;
        }
      }
      return null;
    };
    for (const [what, selector, all] of selectors) {
      const found = [...document.querySelectorAll(selector)].filter((e) => getComputedStyle(e).display !== 'none');
      if (found.length === 0) {
        out.push(`${what}: none drawn (${selector})`);
        continue;
      }
      for (const el of all ? found : found.slice(0, 1)) {
        const why = clipped(el);
        if (why) out.push(`${what} "${el.textContent.trim().slice(0, 40)}" ${why}`);
      }
    }
    const page = document.scrollingElement;
    if (page.scrollHeight > innerHeight + 1) out.push(`the page scrolls (${page.scrollHeight} px in ${innerHeight})`);
    return out;
  }, selectors);
}

/** What a learner must see at this moment of the step. */
async function mustSee(page) {
  const open = (sel) => page.locator(sel).count();
  const list = [
    ['the step count', byTestId('lesson-step')],
    ['the step text', '.lesson-text'],
    ['Next', byTestId('lesson-next')],
    ['the bars\' baseline', '.bar-chart .bars'],
    ['a server\'s name', '.bar-labels .name', true],
    ['a server\'s count', '.bar-labels .count', true],
  ];
  if (await open(byTestId('lesson-task'))) list.push(['the task', byTestId('lesson-task')]);
  if (await open(byTestId('lesson-question'))) list.push(['the question', `${byTestId('lesson-question')} legend`]);
  if (await open('[data-named]')) list.push(['a control the step names', '[data-named]', true]);
  return unseen(page, list);
}

for (const frame of FRAMES) {
  for (const lesson of LESSONS) {
    const name = `${lesson} in ${frame.width}x${frame.height}`;
    browserTest(`lesson ${name}: every step's words, question, controls and bars in view`, { viewport: frame, timeout: 240_000 }, async ({ page }) => {
      await mkdir(SHOTS, { recursive: true });
      await page.goto(appUrl(`embed=1&lesson=${lesson}`));
      await page.waitForSelector(`${byTestId('lesson')}[data-step="1"]`, { timeout: 30_000 });
      const steps = Number((await page.locator(byTestId('lesson-step')).innerText()).match(/of (\d+)/)[1]);
      for (let step = 1; step <= steps; step++) {
        await page.waitForSelector(`${byTestId('lesson')}[data-step="${step}"]`);
        await page.waitForTimeout(250); // the named controls are marked a moment after the step draws
        const where = `${name}, step ${step}`;
        assert.deepEqual(await mustSee(page), [], `${where}, as it opens`);
        const shot = (moment) => Promise.all([]).then(async () => {
          for (const scheme of ['light', 'dark']) {
            await page.emulateMedia({ colorScheme: scheme });
            await page.screenshot({ path: join(SHOTS, `${lesson}-${frame.width}x${frame.height}-step${step}-${moment}-${scheme}.png`) });
          }
          await page.emulateMedia({ colorScheme: 'light' });
        });
        await shot('open');
        const task = page.locator(byTestId('lesson-task'));
        if ((await task.count()) && (await task.getAttribute('data-done')) !== 'true') {
          await page.locator(byTestId('lesson-show')).click();
          await eventually(async () => assert.equal(await task.getAttribute('data-done'), 'true', `${where}: Show me does the task`), { timeout: 60_000 });
        }
        const question = page.locator(byTestId('lesson-question'));
        if (await question.count()) {
          assert.deepEqual(await mustSee(page), [], `${where}, with its question open`);
          await shot('question');
          const choice = page.locator(`${byTestId('lesson-choice')}, ${byTestId('lesson-guess')}, .predict .guess`).first();
          await choice.click();
          await page.waitForSelector(byTestId('lesson-feedback'));
          assert.deepEqual(await mustSee(page), [], `${where}, answered`);
          const focused = await page.evaluate(() => document.activeElement?.dataset?.testid ?? document.activeElement?.tagName);
          assert.equal(focused, 'lesson-next', `${where}: focus goes to Next once answered`);
        }
        await page.locator(byTestId('lesson-next')).click();
      }
      await page.waitForSelector(byTestId('lesson-score'));
      const answers = await page.locator(byTestId('lesson-answer')).count();
      const questions = Number(await page.locator(byTestId('lesson-score')).getAttribute('data-questions'));
      assert.equal(answers, questions, 'the score lists every question with the first answer');
      await page.screenshot({ path: join(SHOTS, `${lesson}-${frame.width}x${frame.height}-score.png`) });
    });
  }
}
