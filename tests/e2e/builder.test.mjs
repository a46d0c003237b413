// The embed builder (issue 11, section 4): Share opens a modal dialog whose content the
// on-demand bundle draws. The form starts from the experiment as it stands; changing the mode,
// the algorithm, the controls and a title with & and " changes the preview frame's URL (after
// its debounce) and the snippet, escaped; Escape closes the dialog and focus goes back to
// Share; the dialog fits at 360x740, 328x480 and 720x480 without scrolling sideways. Also saves
// screenshots of the builder at 1280x800, 720x480, 360x740 and 328x480, light and dark
// (target/e2e/builder-WIDTHxHEIGHT-SCHEME.png, and -end.png scrolled to the dialog's end).
// The default snippet, pasted into course pages 360 px and 1280 px wide, takes the column's
// width and a height that shows the chart: its baseline, each server's name and count
// (target/e2e/builder-snippet-WIDTH-SCHEME.png).

import assert from 'node:assert/strict';
import { join } from 'node:path';

import { CHART_PARTS, ROOT, appTest, byTestId, clickTestId, eventually, unseen } from './helpers.mjs';

/** Opens the Share dialog and waits for the builder the bundle draws into it. */
async function openBuilder(page) {
  await clickTestId(page, 'share');
  await page.locator(byTestId('builder')).waitFor({ timeout: 30_000 });
}

/** What the dialog overflows sideways by, in CSS pixels (0 when it fits). */
function sidewaysOverflow(page) {
  return page.evaluate(() => {
    const d = document.querySelector('[data-testid="share-dialog"]');
    const box = d.getBoundingClientRect();
    return Math.max(d.scrollWidth - d.clientWidth, box.right - window.innerWidth, -box.left, 0);
  });
}

appTest('the embed builder builds the frame URL and an escaped snippet', { query: 'servers=4&algo=round-robin' }, async ({ page }) => {
  await openBuilder(page);
  const dialog = page.locator(byTestId('share-dialog'));
  assert.ok(await dialog.evaluate((d) => d.open && d.matches(':modal')), 'a modal dialog is open');

  await page.check(byTestId('builder-mode-manual'));
  await page.selectOption(byTestId('builder-algo'), 'least-connections');
  await page.uncheck(byTestId('builder-control-share'));
  await page.uncheck(byTestId('builder-control-files'));
  await page.fill(byTestId('builder-title'), 'Tom & Jerry say "hi"');
  await page.press(byTestId('builder-title'), 'Tab');

  const snippet = await page.inputValue(byTestId('builder-snippet'));
  const link = await page.inputValue(byTestId('builder-link'));
  assert.match(snippet, /^<div style="position:relative;max-width:720px;padding-top:calc\(clamp\(480px,1240px - 100%,740px\) \+ 29px\)"><iframe src="[^"<>]+" width="720" height="509" title="Tom &amp; Jerry say &quot;hi&quot;" loading="lazy" sandbox="allow-scripts allow-same-origin allow-downloads" style="position:absolute;inset:0;width:100%;height:100%;border:0"><\/iframe><\/div>$/, snippet);
  const src = /src="([^"]+)"/.exec(snippet)[1].replaceAll('&amp;', '&');
  const params = new URL(src).searchParams;
  assert.equal(params.get('mode'), 'manual');
  assert.equal(params.get('algo'), 'least-connections');
  assert.equal(params.get('embed'), '1');
  assert.equal(params.get('title'), 'Tom & Jerry say "hi"');
  assert.equal(params.get('servers'), '4', 'the builder starts from the experiment as it stands');
  const controls = params.get('controls').split(',');
  assert.ok(!controls.includes('share') && !controls.includes('files') && controls.includes('fire'), controls.join(','));
  assert.equal(new URL(link).searchParams.get('embed'), null, 'the plain link opens the full lab');
  assert.equal(new URL(link).searchParams.get('title'), 'Tom & Jerry say "hi"');

  // The preview follows after its debounce, at the chosen size.
  await eventually(async () => assert.equal(await page.getAttribute(byTestId('builder-preview'), 'src'), src), { timeout: 3_000 });
  const frame = page.frameLocator(byTestId('builder-preview'));
  await frame.locator(byTestId('server-bar')).first().waitFor({ state: 'attached', timeout: 30_000 });
  assert.equal(await frame.locator('h1').innerText(), 'Tom & Jerry say "hi"', 'the title shows as text in the frame');

  // Copy: the clipboard or, without it, the text selected and said so.
  await clickTestId(page, 'builder-copy-snippet');
  await eventually(async () => assert.match(await page.innerText(byTestId('builder-copied')), /Copied the embed code|select and copy the embed code/));

  // Escape closes, and focus is back on Share.
  await page.keyboard.press('Escape');
  await eventually(async () => assert.equal(await dialog.evaluate((d) => d.open), false));
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'share');

  // Opening again starts from the lab as it stands, not from the last choices.
  await openBuilder(page);
  assert.equal(await page.inputValue(byTestId('builder-title')), '');
  await clickTestId(page, 'builder-close');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'share');
});

appTest('compare mode in the builder ticks 2 to 4 algorithms', { query: 'algo=power-of-two' }, async ({ page }) => {
  await openBuilder(page);
  await page.check(byTestId('builder-mode-compare'));
  const boxes = page.locator(`${byTestId('builder-algos')} input[type=checkbox]`);
  assert.equal(await boxes.count(), 12);
  await page.check(`${byTestId('builder-algos')} input[value="maglev"]`);
  await page.check(`${byTestId('builder-algos')} input[value="random"]`);
  assert.ok(await page.isDisabled(`${byTestId('builder-algos')} input[value="hash-mod"]`), 'a fifth cannot be ticked');
  const src = /src="([^"]+)"/.exec(await page.inputValue(byTestId('builder-snippet')))[1].replaceAll('&amp;', '&');
  assert.equal(new URL(src).searchParams.get('algos'), 'power-of-two,least-connections,maglev,random');
});

appTest('when the bundle cannot load, the dialog says why and still offers the link and snippet', { query: 'servers=4' }, async ({ page, open }) => {
  // Opened again with the bundle's loader refused from the start: the history, when it is near
  // the viewport at start, loads the bundle before a later route could refuse it.
  await page.route('**/views-loader.js', (route) => route.abort());
  await open('servers=4');
  await clickTestId(page, 'share');
  const alert = page.locator(`${byTestId('share-dialog')} [role=alert]`);
  await alert.waitFor({ timeout: 10_000 });
  assert.match(await alert.innerText(), /The embed builder could not load: views-loader\.js did not load/);
  const text = await page.inputValue(byTestId('share-text'));
  assert.match(text, /\?servers=4\n\n<div style="position:relative;max-width:720px;padding-top:clamp\(480px,1240px - 100%,740px\)"><iframe src="[^"]+\?servers=4&amp;embed=1" width="720" height="480"/);
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'share');
});

for (const scheme of ['light', 'dark']) {
  for (const viewport of [{ width: 1280, height: 800 }, { width: 720, height: 480 }, { width: 360, height: 740 }, { width: 328, height: 480 }]) {
    const size = `${viewport.width}x${viewport.height}`;
    const query = viewport.width === 1280 ? 'servers=5' : 'embed=1&servers=4';
    appTest(`the builder fits at ${size}, ${scheme}`, { query, viewport }, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await openBuilder(page);
      if (viewport.width <= 360) await page.check(byTestId('builder-size-phone'));
      await page.fill(byTestId('builder-title'), 'Least connections & a slow server');
      await page.press(byTestId('builder-title'), 'Tab');
      await page.waitForTimeout(1_500);
      assert.match(await page.inputValue(byTestId('builder-snippet')), /title="Least connections &amp; a slow server"/);
      assert.equal(await sidewaysOverflow(page), 0, `the dialog scrolls sideways at ${size}`);
      const box = await page.locator('.preview-box').boundingBox();
      assert.ok(box.x + box.width <= viewport.width + 0.5, `the preview box fits: ${JSON.stringify(box)}`);
      if (viewport.width < 720) {
        // The frame is scaled down to the room there is, not further.
        const room = await page.locator('.builder-preview').evaluate((e) => e.clientWidth);
        assert.ok(box.width > room - 3, `the preview box takes the room: ${box.width} of ${room}`);
      }
      await page.screenshot({ path: join(ROOT, 'target', 'e2e', `builder-${size}-${scheme}.png`) });
      // And its end: the preview, the link and the embed code.
      await page.locator(byTestId('share-dialog')).evaluate((d) => { d.scrollTop = d.scrollHeight; });
      await page.screenshot({ path: join(ROOT, 'target', 'e2e', `builder-${size}-${scheme}-end.png`) });
    });
  }
}

appTest('the default snippet shows the chart in a course page 360 px wide and 1280 px wide', { query: '' }, async ({ page, context }) => {
  await openBuilder(page);
  const snippet = await page.inputValue(byTestId('builder-snippet'));
  assert.match(snippet, /width="720" height="480"/, 'the default size');
  assert.match(await page.innerText(byTestId('builder-size-note')), /narrower than 760 px the frame grows taller, up to 740 px, and takes the page's width below 720/);
  // A course page as an author writes one: 16 px of padding, a heading, a paragraph, the snippet.
  const course = await context.newPage();
  for (const [width, expected] of [[360, { width: 328, height: 740 }], [1280, { width: 720, height: 480 }]]) {
    await course.setViewportSize({ width, height: 800 });
    await course.setContent(`<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width"><title>A course page</title></head>
      <body style="margin:0;padding:16px;font-family:sans-serif"><h1>Round robin</h1><p>Watch where each request goes.</p>${snippet}</body></html>`);
    const box = await course.locator('iframe').boundingBox();
    assert.deepEqual({ width: box.width, height: box.height }, expected, `the frame in a page ${width} px wide`);
    const frame = course.frames().find((f) => f !== course.mainFrame());
    await frame.waitForSelector(byTestId('server-bar'), { state: 'attached', timeout: 30_000 });
    await eventually(async () => assert.deepEqual(await unseen(frame, CHART_PARTS), [], `in a page ${width} px wide`), { timeout: 5_000 });
    await course.locator('iframe').scrollIntoViewIfNeeded();
    for (const scheme of ['light', 'dark']) {
      await course.emulateMedia({ colorScheme: scheme });
      await course.waitForTimeout(300);
      await course.screenshot({ path: join(ROOT, 'target', 'e2e', `builder-snippet-${width}-${scheme}.png`), fullPage: true });
    }
    await course.emulateMedia({ colorScheme: 'light' });
  }
  await course.close();
});

appTest('a snippet with the longest title and caption still shows the chart in a course page 360 px wide', { query: '' }, async ({ page, context }) => {
  await openBuilder(page);
  const words = 'Fire ten requests and watch where each one goes under round robin, then least connections. ';
  await page.fill(byTestId('builder-title'), words.repeat(4).slice(0, 80));
  await page.fill(byTestId('builder-caption'), words.repeat(4).slice(0, 280));
  await page.press(byTestId('builder-caption'), 'Tab');
  // 80 characters of title are 3 lines and 280 of caption 8 in a 328 px frame: 247 px more
  await eventually(async () => assert.match(await page.inputValue(byTestId('builder-snippet')), /\+ 247px\)"/), { timeout: 3_000 });
  const snippet = await page.inputValue(byTestId('builder-snippet'));
  const course = await context.newPage();
  await course.setViewportSize({ width: 360, height: 800 });
  await course.setContent(`<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width"><title>A course page</title></head>
    <body style="margin:0;padding:16px;font-family:sans-serif"><h1>Round robin</h1>${snippet}</body></html>`);
  const box = await course.locator('iframe').boundingBox();
  assert.deepEqual({ width: box.width, height: box.height }, { width: 328, height: 740 + 247 });
  const frame = course.frames().find((f) => f !== course.mainFrame());
  await frame.waitForSelector(byTestId('server-bar'), { state: 'attached', timeout: 30_000 });
  await eventually(async () => assert.deepEqual(await unseen(frame, [['the caption', '.embed-head p'], ...CHART_PARTS]), []), { timeout: 5_000 });
  await course.locator('iframe').scrollIntoViewIfNeeded();
  await course.screenshot({ path: join(ROOT, 'target', 'e2e', 'builder-snippet-360-title-caption.png'), fullPage: true });
  await course.close();
});
