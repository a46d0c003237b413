// Every built-in lesson, played through as a class would meet it inside a course page: in a
// 720x480 frame, at 360x740 and at 328x480. At each step the step's words, the task, the
// question's wording (once it opens), the controls the step names and the bars (their
// baseline, names and counts) must be on screen: inside the viewport and not clipped by a
// scroller, with the page itself not scrolling. Show me does each task (so the test also
// proves each script finishes its task from the step's start); the first choice answers each
// question. A screenshot of every step, light and dark, goes to target/e2e/frames/ to be
// looked at.
//
// The controls a step names must be in view while its task is to be done; once the task is
// done and the question open, a phone gives their room to the question. Every problem of a
// lesson is gathered before the test fails, so one run shows them all.
//
// 328x480 (the builder's 720x480 snippet in a 360 px page) holds a step of up to about 230
// characters with a task of three conditions, the field the step names and the bars; the
// built-in lessons' steps are written to that length (the course's are the course's own and
// fit). Run a part against a served build:
//   LBVIZ_FRAMES=720x480 LBVIZ_LESSONS=failures LBVIZ_URL=http://127.0.0.1:8080/ node --test tests/e2e/lesson_frames.test.mjs

import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { CHART_PARTS, ROOT, appUrl, browserTest, byTestId, eventually, unseen } from './helpers.mjs';

const LESSONS = ['course', 'slow-server', 'caches', 'failures', 'power-of-two', 'retry-storm', 'amplification', 'stale-queue', 'hedging', 'breakers', 'backoff'];
const FRAMES = [
  { width: 720, height: 480 },
  { width: 360, height: 740 },
  { width: 328, height: 480 },
];
const SHOTS = join(ROOT, 'target', 'e2e', 'frames');

/** What a learner must see at this moment of the step. */
async function mustSee(page) {
  const open = (sel) => page.locator(sel).count();
  const list = [
    ['the step count', byTestId('lesson-step')],
    ['the step text', '.lesson-text'],
    ['Next', byTestId('lesson-next')],
    ...CHART_PARTS,
  ];
  // The task while it is to do; once done, a short frame gives its room to the question.
  if (await page.locator(`${byTestId('lesson-task')}[data-done="false"]`).count()) list.push(['the task', byTestId('lesson-task')]);
  if (await open(byTestId('lesson-question'))) list.push(['the question', `${byTestId('lesson-question')} legend`]);
  if (await open(byTestId('lesson-feedback'))) list.push(['the feedback', byTestId('lesson-feedback')]);
  // The controls a step names, while there is something to do with them: once its task is
  // done and its question open, a phone gives their room to the question.
  const task = page.locator(byTestId('lesson-task'));
  const todo = (await task.count()) ? (await task.getAttribute('data-done')) !== 'true' : !(await open(byTestId('lesson-question')));
  if (todo && (await open('[data-named]'))) list.push(['a control the step names', '[data-named]', true]);
  return unseen(page, list);
}

// LBVIZ_FRAMES=720x480,360x740 and LBVIZ_LESSONS=course,caches run a part.
const only = (list, env, key) => (process.env[env] ? list.filter((x) => process.env[env].split(',').includes(key(x))) : list);
for (const frame of only(FRAMES, 'LBVIZ_FRAMES', (f) => `${f.width}x${f.height}`)) {
  for (const lesson of only(LESSONS, 'LBVIZ_LESSONS', (l) => l)) {
    const name = `${lesson} in ${frame.width}x${frame.height}`;
    browserTest(`lesson ${name}: every step's words, question, controls and bars in view`, { viewport: { width: frame.width, height: frame.height }, timeout: 240_000, todo: frame.todo }, async ({ page }) => {
      await mkdir(SHOTS, { recursive: true });
      await page.goto(appUrl(`embed=1&lesson=${lesson}`));
      await page.waitForSelector(`${byTestId('lesson')}[data-step="1"]`, { timeout: 30_000 });
      const steps = Number((await page.locator(byTestId('lesson-step')).innerText()).match(/of (\d+)/)[1]);
      // Every problem of every step is gathered, so that one run shows them all.
      const problems = [];
      const check = async (where, moment) => {
        for (const p of await mustSee(page)) problems.push(`${where}, ${moment}: ${p}`);
        for (const scheme of ['light', 'dark']) {
          await page.emulateMedia({ colorScheme: scheme });
          await page.screenshot({ path: join(SHOTS, `${where.replaceAll(' ', '-').replaceAll(',', '')}-${moment}-${scheme}.png`) });
        }
        await page.emulateMedia({ colorScheme: 'light' });
      };
      for (let step = 1; step <= steps; step++) {
        await page.waitForSelector(`${byTestId('lesson')}[data-step="${step}"]`);
        await page.waitForTimeout(250); // the named controls are marked a moment after the step draws
        const where = `${lesson} ${frame.width}x${frame.height} step${step}`;
        await check(where, 'open');
        const task = page.locator(byTestId('lesson-task'));
        if ((await task.count()) && (await task.getAttribute('data-done')) !== 'true') {
          await page.locator(byTestId('lesson-show')).click();
          await eventually(async () => assert.equal(await task.getAttribute('data-done'), 'true', `${where}: Show me does the task`), { timeout: 60_000 });
        }
        const question = page.locator(byTestId('lesson-question'));
        if (await question.count()) {
          await check(where, 'question');
          const choice = page.locator(`${byTestId('lesson-choice')}, ${byTestId('lesson-guess')}, .predict .guess`).first();
          await choice.click();
          await page.waitForSelector(byTestId('lesson-feedback'));
          await check(where, 'answered');
          const focused = await page.evaluate(() => document.activeElement?.dataset?.testid ?? document.activeElement?.tagName);
          if (focused !== 'lesson-next') problems.push(`${where}: focus is on ${focused}, not Next, once answered`);
        }
        await page.locator(byTestId('lesson-next')).click();
      }
      assert.deepEqual(problems, []);
      await page.waitForSelector(byTestId('lesson-score'));
      const answers = await page.locator(byTestId('lesson-answer')).count();
      const questions = Number(await page.locator(byTestId('lesson-score')).getAttribute('data-questions'));
      assert.equal(answers, questions, 'the score lists every question with the first answer');
      await page.screenshot({ path: join(SHOTS, `${lesson}-${frame.width}x${frame.height}-score.png`) });
    });
  }
}
