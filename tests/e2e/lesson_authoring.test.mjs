// Authoring a lesson in the browser (issue 18, item 4): a lesson's JSON error shows its line
// and column whole, however long the quote; a `lesson-data=` written without percent-encoding
// is told so, naming the setting and what is allowed.

import assert from 'node:assert/strict';

import { appUrl, browserTest, byTestId } from './helpers.mjs';

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
