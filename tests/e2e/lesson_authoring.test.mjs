// Authoring a lesson in the browser (issue 18, item 4): a lesson's JSON error shows its line
// and column whole, however long the quote; a `lesson-data=` written without percent-encoding
// is told so, naming the setting and what is allowed; the Share dialog's builder links a
// chosen lesson alone, titled as the lesson is, and takes an author's own lesson, pasted or
// uploaded, which its preview reads with the page's reader (the title, or every problem); and
// "Check this lesson" in the lesson page shows the report lbsim lesson check prints; while it
// runs the button reads "Stop the check", and stops it before its next step.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ROOT, appTest, appUrl, browserTest, byTestId, clickTestId, eventually } from './helpers.mjs';

/** The lesson card's problems, once shown. */
async function problems(page) {
  const list = page.locator(byTestId('lesson-problems'));
  await list.waitFor({ timeout: 30_000 });
  return list.textContent();
}

browserTest("a lesson's JSON error gives its line and column whole, past the 40 characters quoted", { viewport: { width: 1000, height: 800 } }, async ({ page }) => {
  // One line, as lesson-data= carries it: the missing comma is at character 89, and the text
  // from there is longer than the 40 characters a quote keeps. The quote is cut; the line and
  // column, in the message, never are.
  const title = 'A title long enough to push the error past forty characters';
  const json = `{"title": "${title}", "steps": [{"text": "a" "scenario": "servers=3&algo=least-connections"}]}`;
  const column = json.indexOf('"scenario"') + 1;
  assert.ok(column > 80, `column ${column}`);
  await page.goto(appUrl(`lesson-data=${encodeURIComponent(json)}`));
  const text = await problems(page);
  assert.ok(text.includes('lesson "\\"scenario\\": \\"servers=3&algo=least-connec…": is not valid JSON'), text);
  assert.ok(text.includes(`is not valid JSON at line 1, column ${column}: a comma or a closing brace is missing`), text);
});

browserTest('a lesson-data= written without percent-encoding is told to be encoded, naming what cut it', { viewport: { width: 1000, height: 800 } }, async ({ page }) => {
  // As an author types it in the address bar: the & starts a new setting and the # the
  // fragment, so the page reads `{"title":"Tom ` as the lesson.
  const json = '{"title":"Tom & Jerry","steps":[{"text":"Fire #1","scenario":"servers=3"}]}';
  await page.goto(`${appUrl('')}?lesson-data=${json}`);
  const text = await problems(page);
  assert.ok(text.includes('lesson-data "{\\"title\\":\\"Tom ": is not percent-encoded: an & in the lesson began a new setting'), text);
  assert.ok(text.includes("a # in the lesson ended the address's query"), text);
  assert.ok(text.includes("allowed: the lesson's JSON percent-encoded, each & as %26, # as %23, + as %2B"), text);
  // the JSON's own error follows, as read
  assert.match(text, /lesson .*is not valid JSON at line 1, column/, text);

  // Encoded, the same lesson plays.
  await page.goto(appUrl(`lesson-data=${encodeURIComponent(json)}`));
  await page.locator(byTestId('lesson-step')).waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('.lesson-head h2').textContent(), 'Tom & Jerry');
});

appTest("the builder links a chosen lesson alone, with the lesson's title as the frame's", { query: 'servers=5&algo=maglev&mode=compare&algos=maglev,random' }, async ({ page }) => {
  await clickTestId(page, 'share');
  await page.locator(byTestId('builder')).waitFor({ timeout: 30_000 });
  await page.fill(byTestId('builder-title'), 'My experiment');
  await page.selectOption(byTestId('builder-lesson'), 'slow-server');
  const snippet = await page.inputValue(byTestId('builder-snippet'));
  const src = /src="([^"]+)"/.exec(snippet)[1].replaceAll('&amp;', '&');
  assert.equal(new URL(src).search, '?embed=1&lesson=slow-server', "nothing of the page's experiment");
  assert.match(snippet, / title="A slow server" /, snippet);
  assert.equal(new URL(await page.inputValue(byTestId('builder-link'))).search, '?lesson=slow-server');
  // The lab's own choices have no part in a lesson's link: they are off, and said why.
  assert.ok(await page.isDisabled(byTestId('builder-mode-auto')));
  assert.ok(await page.isDisabled(byTestId('builder-title')));
  assert.match(await page.innerText(byTestId('builder-by-lesson')), /sets each step's scenario, mode and controls/);
  // The preview plays the lesson.
  await eventually(async () => assert.equal(await page.getAttribute(byTestId('builder-preview'), 'src'), src), { timeout: 3_000 });
  const frame = page.frameLocator(byTestId('builder-preview'));
  await frame.locator(byTestId('lesson-step')).waitFor({ timeout: 30_000 });
  assert.equal(await frame.locator('.lesson-head h2').textContent(), 'A slow server');
  // None again: the experiment and the author's title are back.
  await page.selectOption(byTestId('builder-lesson'), '');
  const back = new URL(await page.inputValue(byTestId('builder-link'))).searchParams;
  assert.equal(back.get('servers'), '5');
  assert.match(await page.inputValue(byTestId('builder-snippet')), / title="My experiment" /);
});

appTest("the builder takes an author's own lesson, pasted or uploaded, and shows what the page's reader made of it", { query: 'servers=5', timeout: 120_000 }, async ({ page }) => {
  await clickTestId(page, 'share');
  await page.locator(byTestId('builder')).waitFor({ timeout: 30_000 });
  await page.selectOption(byTestId('builder-lesson'), 'own');
  const read = page.locator(byTestId('builder-own-read'));
  const srcOf = async () => new URL(/src="([^"]+)"/.exec(await page.inputValue(byTestId('builder-snippet')))[1].replaceAll('&amp;', '&'));

  // Pasted, as written (new lines and all): linked as lesson-data= alone, titled once read.
  const mine = '{\n  "title": "Two & two",\n  "steps": [{"text": "Watch.", "scenario": "servers=2"}]\n}';
  await page.fill(byTestId('builder-own'), mine);
  await eventually(async () => assert.match(await read.innerText(), /Read: “Two & two”, 1 step/), { timeout: 30_000 });
  const src = await srcOf();
  assert.deepEqual([...src.searchParams.keys()], ['embed', 'lesson-data']);
  assert.equal(src.searchParams.get('lesson-data'), mine);
  assert.match(await page.inputValue(byTestId('builder-snippet')), / title="Two &amp; two" /);

  // Broken: the page's own reader names each problem, here and in the preview's card.
  await page.fill(byTestId('builder-own'), JSON.stringify({ title: 'Broken', steps: [{ text: 'Open *mark', scenario: 'servers=0' }] }));
  await eventually(async () => assert.match(await read.innerText(), /The page cannot use this lesson: 2 problems/), { timeout: 30_000 });
  const text = await read.innerText();
  assert.match(text, /step 1, text "Open \*mark": a \* mark is not closed/, text);
  assert.match(text, /step 1, scenario\.servers "0": allowed in the browser: 1 to 64/, text);

  // Uploaded: the file's text fills the box and is read the same way.
  await page.setInputFiles(byTestId('builder-own-file'), { name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(mine.replace('Two & two', 'Uploaded')) });
  await eventually(async () => assert.match(await read.innerText(), /Read: “Uploaded”, 1 step/), { timeout: 30_000 });
  assert.match(await page.inputValue(byTestId('builder-own')), /"title": "Uploaded"/);

  // Larger than a lesson may be: refused unread, by its size, naming the limit.
  await page.setInputFiles(byTestId('builder-own-file'), { name: 'huge.json', mimeType: 'application/json', buffer: Buffer.from('{' + ' '.repeat(1_100_000) + '}') });
  await eventually(async () => assert.match(await read.innerText(), /"huge\.json" is 1100002 bytes; allowed: a lesson of at most 1024 KB/));
});

/** docs/lessons.md's JSON between `<!-- NAME:start -->` and its end, and the first sample
 *  report of it (the lines `lbsim lesson check` prints, which lbcore's docs_lesson test holds
 *  to lesson::Check line for line). */
function docsExample(name) {
  const doc = readFileSync(join(ROOT, 'docs', 'lessons.md'), 'utf8');
  const from = doc.indexOf(`<!-- ${name}:start -->\n\`\`\`json\n`) + `<!-- ${name}:start -->\n\`\`\`json\n`.length;
  const to = doc.indexOf(`\`\`\`\n<!-- ${name}:end -->`, from);
  const json = doc.slice(from, to);
  // the sample whose heading names this lesson's title
  const heading = `\n\`\`\`\n"${JSON.parse(json).title}": `;
  const at = doc.indexOf(heading) + heading.length - `"${JSON.parse(json).title}": `.length;
  const sample = doc.slice(at, doc.indexOf('\n```', at)).split('\n');
  return { json, sample };
}

async function checkReport(page) {
  await page.locator(byTestId('lesson-check')).click();
  const report = page.locator(byTestId('lesson-check-report'));
  // done: past the heading and the steps' lines, the verdict, and the button to check again
  await eventually(async () => {
    const lines = (await report.innerText()).split('\n');
    assert.ok(lines.length > 1 && !lines.at(-1).startsWith('step '), lines.join('\n'));
    assert.equal(await page.locator(byTestId('lesson-check')).innerText(), 'Check this lesson');
  }, { timeout: 60_000 });
  return (await report.innerText()).split('\n');
}

browserTest('Check this lesson plays every step as lbsim lesson check does and shows the same report', { viewport: { width: 1100, height: 900 }, timeout: 120_000 }, async ({ page }) => {
  // The docs' example: the report lbsim prints there, line for line.
  const good = docsExample('lesson-example');
  await page.goto(appUrl(`lesson-data=${encodeURIComponent(good.json)}`));
  await page.locator(byTestId('lesson-step')).waitFor({ timeout: 30_000 });
  assert.deepEqual(await checkReport(page), good.sample);
  assert.equal(await page.locator(byTestId('lesson-step')).textContent(), 'Step 1 of 2', "the learner's place is untouched");

  // The early lesson: the same step lines, and the verdict naming the lesson as the page has it.
  const early = docsExample('lesson-early');
  await page.goto(appUrl(`lesson-data=${encodeURIComponent(early.json)}`));
  await page.locator(byTestId('lesson-step')).waitFor({ timeout: 30_000 });
  const lines = await checkReport(page);
  assert.deepEqual(lines.slice(0, -1), early.sample.slice(0, -1));
  assert.equal(lines.at(-1), early.sample.at(-1).replace('lbsim: "early.json"', 'lesson-data'));

  // A built-in lesson, named as lbsim names it; a framed lesson shows no check.
  await page.goto(appUrl('lesson=course'));
  await page.locator(byTestId('lesson-step')).waitFor({ timeout: 30_000 });
  const course = await checkReport(page);
  assert.match(course[0], /^"Round robin and least connections": 5 steps, \d questions$/);
  assert.equal(course.length, 5 + 2);
  assert.equal(course.at(-1), 'ok: every task can be done, and only by the learner');
  await page.goto(appUrl('embed=1&lesson=course'));
  await page.locator(byTestId('lesson-step')).waitFor({ timeout: 30_000 });
  assert.equal(await page.locator(byTestId('lesson-check')).count(), 0);
});

browserTest('Stop the check stops it before its next step and says where', { viewport: { width: 1100, height: 900 }, timeout: 120_000 }, async ({ page }) => {
  // Forty steps whose try runs a busy pool for its million events and never does its task.
  const step = (i) => ({ text: `Step ${i}: watch.`, scenario: 'servers=4&rate=2000', task: { when: [{ arrived: { at_least: 100000000 } }] }, try: [{ run: 3600 }] });
  const slow = { title: 'Slow to check', steps: Array.from({ length: 40 }, (_, i) => step(i + 1)) };
  await page.goto(appUrl(`lesson-data=${encodeURIComponent(JSON.stringify(slow))}`));
  await page.locator(byTestId('lesson-step')).waitFor({ timeout: 30_000 });
  const button = page.locator(byTestId('lesson-check'));
  const report = page.locator(byTestId('lesson-check-report'));
  const lines = async () => (await report.innerText()).split('\n').filter((l) => l);
  for (const round of [1, 2]) {
    await button.click();
    // under way: the button offers to stop it, and the steps' lines come one by one
    await eventually(async () => {
      assert.equal(await button.innerText(), 'Stop the check');
      const now = await lines();
      assert.equal(now[0], '"Slow to check": 40 steps, 0 questions');
      assert.match(now.at(-1) ?? '', /^step \d+: starts: .+; NOT DONE: /);
    }, { timeout: 30_000 });
    await button.click();
    await eventually(async () => assert.equal(await button.innerText(), 'Check this lesson'), { timeout: 10_000 });
    const stopped = await lines();
    const at = Number(/^Stopped at step (\d+)\.$/.exec(stopped.at(-1))?.[1]);
    assert.ok(at >= 2 && at <= 40, `round ${round}: the last line says where it stopped: ${stopped.at(-1)}`);
    assert.equal(stopped.length, 1 + (at - 1) + 1, `round ${round}: the heading, the ${at - 1} steps played, where it stopped`);
    stopped.slice(1, -1).forEach((l, i) => assert.ok(l.startsWith(`step ${i + 1}: `), l));
    // and no step is played after it
    await page.waitForTimeout(1_500);
    assert.deepEqual(await lines(), stopped, `round ${round}: nothing more after the stop`);
    assert.equal(await button.evaluate((b) => b === document.activeElement), true, 'focus stays on the button');
  }
});

browserTest('the card of a lesson that cannot be used points to the in-page check, not only to lbsim', { viewport: { width: 1000, height: 800 } }, async ({ page }) => {
  await page.goto(appUrl(`lesson-data=${encodeURIComponent(JSON.stringify({ title: 'Broken', steps: [{ text: 'x', scenario: 'servers=0' }] }))}`));
  const text = await problems(page);
  assert.match(text, /Check this lesson in its card plays each step’s try and reports as lbsim lesson check FILE does/, text);
  assert.match(text, /Share dialog reads a lesson as you paste it/, text);
});
