// Guided lessons in the page (src/lesson_player.rs; docs/lessons.md): the built-in
// course lesson played through by a learner, with a right and a wrong answer, to its score,
// while a course page on another origin hears each step and the end; an author's lesson from
// a file on the site and from the URL; broken lessons that name their problems while the lab
// still works; a lesson file that never arrives, given up after 15 s; and the lesson card
// inside a 720x480 frame and on a phone, without the page scrolling. The lab's own build must
// not load for a lesson, nor the lesson build for the lab.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before } from 'node:test';

import { appUrl, browserTest, byTestId, clickTestId, connections, eventually } from './helpers.mjs';

let host;
let hostBase;

// A course page on another origin: the lab in an iframe, every lbviz message it hears kept.
const HOST_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>course</title></head>
<body style="margin:0">
<iframe id="lab" title="lab" style="width:1000px;height:900px;border:0;display:block"></iframe>
<script>
  window.heard = [];
  const lab = document.getElementById('lab');
  lab.src = new URLSearchParams(location.search).get('src');
  addEventListener('message', (e) => {
    if (e.source === lab.contentWindow && e.data && e.data.lbviz === 1) window.heard.push(e.data);
  });
</script>
</body></html>`;

before(async () => {
  host = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(HOST_PAGE);
  });
  await new Promise((r) => host.listen(0, '127.0.0.1', r));
  hostBase = `http://127.0.0.1:${host.address().port}`;
});

after(() => host?.close());

const step = (scope) => scope.locator(byTestId('lesson-step')).textContent();

async function waitForStep(scope, text) {
  await eventually(async () => assert.equal(await step(scope), text), { timeout: 10_000 });
}

async function choose(scope, text) {
  await scope.locator(byTestId('lesson-choice'), { hasText: text }).first().click();
}

browserTest('the course lesson plays through to its score, and the course page hears each step', { viewport: { width: 1100, height: 950 }, timeout: 120_000 }, async ({ page, requests }) => {
  const origin = new URL(hostBase).origin;
  await page.goto(`${hostBase}/?src=${encodeURIComponent(appUrl(`lesson=course&origin=${encodeURIComponent(origin)}`))}`);
  const lab = page.frameLocator('#lab');
  await lab.locator(byTestId('lesson')).waitFor({ timeout: 30_000 });
  await waitForStep(lab, 'Step 1 of 5');
  assert.ok(requests.some((u) => u.endsWith('/lesson_bg.wasm')), 'the lesson build loads');
  assert.ok(!requests.some((u) => /\/lbviz-[0-9a-f]+_bg\.wasm$/.test(u)), "the lab's own build does not load as well");

  // Step 1: round robin, by hand. Next waits for the task; the question waits for it too.
  const next = lab.locator(byTestId('lesson-next'));
  assert.equal(await next.isDisabled(), true, 'Next is closed before the task is done');
  assert.equal(await lab.locator(byTestId('lesson-question')).count(), 0, 'the prediction opens after the task');
  const fire = lab.locator(byTestId('fire'));
  // The question is about the 10th request: no burst of 10 to overshoot it with, and once it
  // is asked, no fire button (the answer fires the 10th).
  assert.equal(await lab.locator(byTestId('fire-burst')).isVisible(), false, 'no burst in a prediction\'s step');
  for (let i = 0; i < 9; i++) await fire.click();
  await eventually(async () => assert.equal(await lab.locator(byTestId('lesson-task')).getAttribute('data-done'), 'true'));
  assert.equal(await fire.isVisible(), false, 'no request fired but the answer\'s while the prediction is open');
  // The 10th goes to server1 (4, 3, 3 after it): guess server2, a wrong answer.
  await lab.locator(byTestId('lesson-guess'), { hasText: 'server2' }).click();
  const feedback = lab.locator(byTestId('lesson-feedback'));
  await eventually(async () => assert.equal(await feedback.getAttribute('data-right'), 'false'));
  assert.match(await feedback.textContent(), /went to server1, not server2/);
  assert.equal(await next.isDisabled(), false, 'an answer, even a wrong one, opens Next');
  await next.click();

  // Step 2 continues the engine: a multiple-choice question, answered right.
  await waitForStep(lab, 'Step 2 of 5');
  await choose(lab, 'Round robin');
  await eventually(async () => assert.equal(await feedback.getAttribute('data-right'), 'true'));
  await next.click();

  // Step 3 starts a fresh least-connections scenario at time zero.
  await waitForStep(lab, 'Step 3 of 5');
  const frame = page.frames().find((f) => f !== page.mainFrame());
  await eventually(async () => assert.deepEqual(await connections(frame), [0, 0, 0]), { timeout: 5_000 });
  for (let i = 0; i < 9; i++) await fire.click();
  await clickTestId(frame, 'complete-server2', 2);
  await eventually(async () => assert.equal(await lab.locator(byTestId('lesson-task')).getAttribute('data-done'), 'true'));
  await choose(lab, 'Both to server2');
  await next.click();

  // Step 4: fire two, and both go to server2.
  await waitForStep(lab, 'Step 4 of 5');
  assert.equal(await next.isDisabled(), true);
  await fire.click();
  await fire.click();
  await eventually(async () => assert.equal(await next.isDisabled(), false));
  assert.deepEqual(await connections(frame), [3, 3, 3]);
  await next.click();

  // Step 5: the last question, then Finish and the score.
  await waitForStep(lab, 'Step 5 of 5');
  await choose(lab, 'Least connections');
  await lab.locator(byTestId('lesson-next'), { hasText: 'Finish' }).click();
  const score = lab.locator(byTestId('lesson-score'));
  await score.waitFor();
  assert.equal(await score.getAttribute('data-right'), '3');
  assert.equal(await score.getAttribute('data-questions'), '4');
  assert.match(await score.textContent(), /3 of 4 questions right the first time, 3 of 3 tasks done/);

  // The course page heard a step message for each of the first four steps and the end.
  const heard = await eventually(async () => {
    const messages = await page.evaluate(() => window.heard.filter((m) => ['lesson-step', 'lesson-complete'].includes(m.type)));
    assert.equal(messages.length, 5, JSON.stringify(messages));
    return messages;
  });
  assert.deepEqual(heard.map((m) => [m.type, m.step]), [
    ['lesson-step', 1], ['lesson-step', 2], ['lesson-step', 3], ['lesson-step', 4], ['lesson-complete', 5],
  ]);
  // and, once, what the lesson read as (the builder's preview tells the author so)
  const read = await page.evaluate(() => window.heard.filter((m) => m.type === 'lesson-read'));
  assert.deepEqual(read, [{ lbviz: 1, type: 'lesson-read', title: 'Round robin and least connections', steps: 5 }]);
  const end = heard.at(-1);
  assert.equal(end.lesson, 'course');
  assert.deepEqual([end.right, end.total], [3, 4]);
  assert.deepEqual(end.answers, ['server2', 'Round robin', 'Both to server2', 'Least connections']);

  // Start again: step 1, nothing done.
  await clickTestId(frame, 'lesson-again');
  await waitForStep(lab, 'Step 1 of 5');
});

browserTest('Skip moves on without the task, and counts as skipped', { viewport: { width: 1100, height: 900 } }, async ({ page }) => {
  await page.goto(appUrl('lesson=slow-server'));
  await page.locator(byTestId('lesson')).waitFor({ timeout: 30_000 });
  const first = await step(page);
  assert.match(first, /^Step 1 of \d+$/);
  const n = Number(first.split(' ').at(-1));
  for (let i = 1; i <= n; i++) {
    await waitForStep(page, `Step ${i} of ${n}`);
    const skip = page.locator(byTestId('lesson-skip'));
    if (await skip.count()) await skip.click();
    else await page.locator(byTestId('lesson-next')).click();
  }
  const score = page.locator(byTestId('lesson-score'));
  await score.waitFor();
  assert.match(await score.textContent(), /skipped/);
});

// "Show me" (src/lesson_show.rs) plays a step's `try` in the lab, a move per beat.
const arrived = async (page) => Number(await page.locator(byTestId('metric-arrived')).getAttribute('data-value'));

browserTest('Show me plays the task in the lab a move at a time, can be stopped, and the score says it was shown', { viewport: { width: 1100, height: 900 }, timeout: 90_000 }, async ({ page }) => {
  const lesson = {
    title: 'Shown',
    steps: [{ text: 'Fire five.', scenario: 'servers=3&mode=manual', task: { when: [{ arrived: { at_least: 5 } }] }, try: [{ fire: 5 }] }],
  };
  await page.goto(appUrl(`lesson-data=${encodeURIComponent(JSON.stringify(lesson))}`));
  const show = page.locator(byTestId('lesson-show'));
  await show.waitFor({ timeout: 30_000 });
  // Stopped after its first beat or two, it plays no more.
  await show.click();
  await eventually(async () => assert.ok((await arrived(page)) >= 1));
  await show.click();
  assert.equal(await show.textContent(), 'Show me');
  const stopped = await arrived(page);
  await page.waitForTimeout(1200);
  assert.equal(await arrived(page), stopped, 'a stopped showing plays nothing more');
  assert.ok(stopped < 5, `stopped at ${stopped}`);
  // Reset while it shows: the run it was showing on is gone, and so is the showing.
  await show.click();
  await eventually(async () => assert.ok((await arrived(page)) > stopped));
  await page.locator(byTestId('reset')).click();
  await eventually(async () => assert.equal(await show.textContent(), 'Show me'));
  await page.waitForTimeout(1200);
  assert.equal(await arrived(page), 0, 'nothing more is played on the new run');
  // Played again from the start of its script: one request a beat, never all at once.
  await show.click();
  const seen = new Set();
  const t0 = Date.now();
  while (Date.now() - t0 < 6000 && (await page.locator(byTestId('lesson-task')).getAttribute('data-done')) !== 'true') {
    seen.add(await arrived(page));
    await page.waitForTimeout(60);
  }
  assert.equal(await page.locator(byTestId('lesson-task')).getAttribute('data-done'), 'true', 'the task is done');
  const steps = [...seen].filter((n) => n > 0 && n < 5);
  assert.ok(steps.length >= 2, `requests came one by one: saw ${[...seen].sort((a, b) => a - b)}`);
  assert.equal(await show.count(), 0, 'no Show me once the task is done');
  await page.locator(byTestId('lesson-next')).click();
  const score = page.locator(byTestId('lesson-score'));
  await score.waitFor();
  assert.match(await score.textContent(), /1 of 1 tasks done \(1 shown\)/);
});

browserTest("Show me fast-forwards a step's run: the caches lesson's minute of play in a few seconds", { viewport: { width: 1100, height: 900 }, timeout: 60_000 }, async ({ page }) => {
  await page.goto(appUrl('lesson=caches'));
  const show = page.locator(byTestId('lesson-show'));
  await show.waitFor({ timeout: 30_000 });
  const started = Date.now();
  await show.click();
  await eventually(async () => assert.equal(await page.locator(byTestId('lesson-task')).getAttribute('data-done'), 'true'), { timeout: 10_000 });
  const took = (Date.now() - started) / 1000;
  // Jumps of 7.5 simulated seconds a beat (0.3 s): the 200 cache hits come at about 20 s of
  // play at 20 requests a second, far sooner than in real time; the showing stops with the task.
  const simulated = Number((await page.locator('.clock').textContent()).match(/^t = ([0-9.]+) s/)[1]);
  assert.ok(simulated >= 10 && simulated / took > 4, `${simulated} simulated seconds in ${took.toFixed(1)} s`);
  await page.waitForTimeout(1000);
  const later = Number((await page.locator('.clock').textContent()).match(/^t = ([0-9.]+) s/)[1]);
  assert.ok(later - simulated < 2, `the showing stopped with the task: ${simulated} then ${later}`);
  await page.locator(byTestId('lesson-question')).waitFor();
});

const AUTHOR_LESSON = {
  title: 'Two servers',
  steps: [
    {
      text: 'Fire *three* requests at `a` and `b`.',
      scenario: 'algo=round-robin&names=a,b&mode=manual',
      task: { when: [{ arrived: { at_least: 3 } }] },
      question: { ask: 'Where did the third go?', choices: [{ text: 'a', right: true, feedback: 'Yes: a, b, a.' }, { text: 'b', feedback: 'No: a, b, then a again.' }] },
    },
  ],
};

browserTest("an author's lesson from the URL renders its marks as text and plays", { viewport: { width: 1000, height: 800 } }, async ({ page }) => {
  const lesson = { ...AUTHOR_LESSON, title: 'Two servers <b>bold</b>' };
  await page.goto(appUrl(`lesson-data=${encodeURIComponent(JSON.stringify(lesson))}`));
  await page.locator(byTestId('lesson')).waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('.lesson-head h2').textContent(), 'Two servers <b>bold</b>', 'markup stays text');
  assert.equal(await page.locator('.lesson-text em').textContent(), 'three');
  assert.deepEqual(await page.locator('.lesson-text code').allTextContents(), ['a', 'b']);
  for (let i = 0; i < 3; i++) await clickTestId(page, 'fire');
  // A wrong answer is told why, and the right answer: there is no second try.
  await choose(page, 'b');
  assert.equal(await page.locator(byTestId('lesson-feedback')).textContent(), 'Not quite. No: a, b, then a again. The answer: a.');
  await page.locator(byTestId('lesson-next'), { hasText: 'Finish' }).click();
  assert.match(await page.locator(byTestId('lesson-score')).textContent(), /0 of 1 questions right/);
});

browserTest("an author's lesson file on the site loads; a missing or broken one names its problems", { viewport: { width: 1000, height: 800 } }, async ({ page, requests }) => {
  // The e2e server serves dist/; the built-in lessons' JSON is not there, so the test serves
  // one through a route on the page's own origin.
  await page.route((url) => url.pathname.endsWith('/lessons/mine.json'), (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(AUTHOR_LESSON) }));
  await page.route((url) => url.pathname.endsWith('/lessons/broken.json'), (route) =>
    route.fulfill({ contentType: 'application/json', body: JSON.stringify({ title: 'Broken', steps: [{ text: 'Open *mark', scenario: 'servers=0' }] }) }),
  );
  await page.goto(appUrl('lesson=./lessons/mine.json'));
  await eventually(async () => assert.equal(await step(page), 'Step 1 of 1'), { timeout: 30_000 });

  await page.goto(appUrl('lesson=./lessons/broken.json'));
  const problems = page.locator(byTestId('lesson-problems'));
  await problems.waitFor({ timeout: 30_000 });
  const text = await problems.textContent();
  assert.match(text, /step 1, text "Open \*mark": a \* mark is not closed/, text);
  assert.match(text, /step 1, scenario\.servers "0": allowed in the browser: 1 to 64/, text);
  // The lab below still works.
  await page.locator(byTestId('server-bar')).first().waitFor({ state: 'attached' });

  await page.goto(appUrl('lesson=https://elsewhere.example/x.json'));
  await problems.waitFor({ timeout: 30_000 });
  assert.match(await problems.textContent(), /allowed: a built-in lesson \(course, .*\) or the path of a \.json lesson file on this site/);

  // `%252e%252e` reads as `%2e%2e`, which the browser's fetch takes for `..`: refused unfetched.
  // (by path: the page's own address ends in `mine.json` too, in its query)
  const fetches = () => requests.filter((u) => new URL(u).pathname.endsWith('/mine.json')).length;
  const fetchedBefore = fetches();
  await page.goto(appUrl('lesson=%252e%252e/lessons/mine.json'));
  await problems.waitFor({ timeout: 30_000 });
  assert.match(await problems.textContent(), /lesson %2e%2e\/lessons\/mine\.json: allowed: .* \(without \.\., %, /);
  assert.equal(fetches(), fetchedBefore, 'nothing is fetched');

  // A file larger than a lesson may be is refused unread, naming its size and the limit.
  await page.route((url) => url.pathname.endsWith('/lessons/huge.json'), (route) =>
    route.fulfill({ contentType: 'application/json', body: '{' + ' '.repeat(1_100_000) + '}' }),
  );
  await page.goto(appUrl('lesson=./lessons/huge.json'));
  await problems.waitFor({ timeout: 30_000 });
  assert.match(await problems.textContent(), /huge\.json is 1100002 bytes; allowed: a lesson file of at most 1024 KB/);

  await page.goto(appUrl('lesson=./lessons/missing.json'));
  await problems.waitFor({ timeout: 30_000 });
  assert.match(await problems.textContent(), /could not be fetched: the server answered 404/);
});

browserTest('a lesson file that never arrives is given up after 15 seconds, naming it and what to do', { viewport: { width: 1000, height: 800 } }, async ({ page }) => {
  // The route holds the request and never answers, as a hung server does.
  await page.route((url) => url.pathname.endsWith('/lessons/slow.json'), () => {});
  await page.goto(appUrl('lesson=./lessons/slow.json'));
  await page.locator('.lesson .loading', { hasText: 'Loading the lesson' }).waitFor({ timeout: 30_000 });
  const shown = Date.now();
  const problems = page.locator(byTestId('lesson-problems'));
  await problems.waitFor({ timeout: 25_000 });
  assert.ok(Date.now() - shown < 20_000, 'within the 15 s allowed and a little');
  assert.equal(await page.locator('.lesson-head h2').textContent(), 'This lesson could not be loaded');
  const text = await problems.textContent();
  assert.match(text, /\.\/lessons\/slow\.json did not arrive within 15 seconds/, text);
  assert.match(text, /Reload the page to try again/, text);
  assert.doesNotMatch(text, /lbsim lesson check/, 'no file was read, so there is nothing for lbsim to check');
  // The lab below still works.
  await page.locator(byTestId('server-bar')).first().waitFor({ state: 'attached' });
});

for (const [width, height] of [[720, 480], [360, 740]]) {
  browserTest(`a lesson in an embed fits ${width}x${height} without the page scrolling`, { viewport: { width, height } }, async ({ page }) => {
    await page.goto(appUrl('lesson=course&embed=1'));
    await page.locator(byTestId('lesson')).waitFor({ timeout: 30_000 });
    for (let i = 0; i < 9; i++) await clickTestId(page, 'fire');
    await page.locator(byTestId('lesson-question')).waitFor();
    const m = await page.evaluate(() => {
      const box = (sel) => document.querySelector(sel)?.getBoundingClientRect();
      const el = document.scrollingElement;
      return {
        scroll: [el.scrollHeight - el.clientHeight, el.scrollWidth - el.clientWidth],
        lesson: box('[data-testid="lesson"]'),
        chart: box('.bar-chart .plot'),
        stage: box('.stage'),
        next: box('[data-testid="lesson-next"]'),
      };
    });
    assert.deepEqual(m.scroll, [0, 0], 'the page does not scroll');
    // The chart shows inside the stage's visible box (the stage scrolls what does not fit).
    const seen = Math.min(m.chart.bottom, m.stage.bottom) - Math.max(m.chart.top, m.stage.top);
    assert.ok(seen >= 60, `60 px of the chart show: ${JSON.stringify(m.chart)} in ${JSON.stringify(m.stage)}`);
    assert.ok(m.next.bottom <= height && m.next.right <= width, 'Next is in the frame');
  });
}
