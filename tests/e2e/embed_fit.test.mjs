// Embeds that fit, and per-server controls. In a 720x480 frame, on a 360x740 phone and at 328x480 every
// embed mode, with any controls= list, shows the chart, the numbers and the offered controls
// without the page scrolling: what does not fit scrolls inside its own panel, which keyboards
// reach (tabindex=0 and a label). Under the bars, names and buttons never overlap or clip at
// 2 to 64 servers; a click on a bar's name opens its panel, whose weight the weighted
// algorithm then follows. Focus stays on a control after Fail and Drain; the lesson's title
// and caption are text; Back to the lesson restores the link the frame opened with.

import assert from 'node:assert/strict';

import { appTest, byTestId, clickTestId, connections, eventually, queryOf, setRange } from './helpers.mjs';

const EMBEDS = [
  'embed=1',
  'embed=1&controls=rate,algo',
  'embed=1&controls=play,reset,rate',
  'embed=1&controls=',
  'embed=1&servers=8&controls=server-actions,servers',
  'embed=1&mode=manual&controls=fire,server-actions,algo',
  'embed=1&mode=manual',
  'embed=1&mode=compare&algos=round-robin,least-connections',
  'embed=1&mode=compare&algos=round-robin,least-connections,power-of-two&controls=algo,rate',
  'embed=1&mode=compare&algos=round-robin,least-connections,power-of-two,peak-ewma',
  'embed=1&mode=predict&controls=algo',
  'embed=1&title=Round%20robin&caption=Fire%20ten%20requests%3A%20which%20server%20gets%20the%20tenth%3F&mode=manual&controls=fire,server-actions',
];

/**
 * Measures the page in one go: its scroll size, the chart, and for each element of interest
 * (the offered controls, the numbers) whether it is in view or inside a scroll region that is
 * focusable and labelled, itself in view.
 */
async function measure(page) {
  return page.evaluate(() => {
    const box = (e) => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height, bottom: r.bottom, right: r.right };
    };
    const within = (b) => b.x >= -0.5 && b.y >= -0.5 && b.right <= innerWidth + 0.5 && b.bottom <= innerHeight + 0.5;
    const scroller = (e) => {
      for (let p = e.parentElement; p; p = p.parentElement) {
        const s = getComputedStyle(p);
        if (/(auto|scroll)/.test(s.overflowY) && p.scrollHeight > p.clientHeight + 1) return p;
      }
      return null;
    };
    const reach = (e) => {
      const region = scroller(e);
      if (!region) return { inView: shownWhole(e), region: null };
      return {
        inView: shownWhole(e),
        region: {
          tabIndex: region.tabIndex,
          label: region.getAttribute('aria-label') ?? region.getAttribute('aria-labelledby'),
          inView: within(box(region)),
        },
      };
    };
    const offered = Array.from(
      document.querySelectorAll('.controls-panel input, .controls-panel select, .controls-panel button, .actions button, .stage-head button, .server-actions button, .guess'),
    ).filter((e) => e.offsetParent !== null);
    // Drawn numbers only: a closed <details> (the whole run's totals, one click away) lays its
    // content out but does not show it, so offsetParent alone would count it.
    const numbers = Array.from(document.querySelectorAll('.metrics-area .metric, .compare-table')).filter((e) => e.checkVisibility());
    const svg = document.querySelector('svg.bars');
    // In view means inside the viewport and inside every region it scrolls in, as it stands.
    const shownWhole = (e) => {
      const b = box(e);
      if (!within(b)) return false;
      for (let p = e.parentElement; p; p = p.parentElement) {
        if (!/(auto|scroll|hidden)/.test(getComputedStyle(p).overflowY)) continue;
        const r = p.getBoundingClientRect();
        if (b.y < r.y - 0.5 || b.bottom > r.bottom + 0.5) return false;
      }
      return true;
    };
    const names = Array.from(document.querySelectorAll('.bar-labels .name')).filter((e) => getComputedStyle(e).visibility === 'visible');
    return {
      scrollHeight: document.scrollingElement.scrollHeight,
      scrollWidth: document.scrollingElement.scrollWidth,
      innerHeight,
      innerWidth,
      chart: box(svg),
      chartInView: shownWhole(svg),
      offered: offered.map((e) => ({ what: e.dataset.testid ?? e.id ?? e.textContent, ...reach(e) })),
      numbers: numbers.map((e) => ({ what: e.dataset.testid ?? e.className, ...reach(e) })),
      clippedNames: names.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent),
      // The names and counts under the bars that the chart's width lets show, and whether each
      // is in view: the bars are read by them.
      labels: Array.from(document.querySelectorAll('.bar-labels .name, .bar-labels .count'))
        .filter((e) => e.checkVisibility())
        .map((e) => ({ text: e.textContent, inView: shownWhole(e), ...box(e) })),
      h1: document.querySelectorAll('h1').length,
    };
  });
}

function assertFits(m, query) {
  const where = `${query} at ${m.innerWidth}x${m.innerHeight}`;
  assert.ok(m.scrollHeight <= m.innerHeight, `${where}: the page does not scroll (content ${m.scrollHeight} px high)`);
  assert.ok(m.scrollWidth <= m.innerWidth, `${where}: nothing sideways (content ${m.scrollWidth} px wide)`);
  // The chart in view and big enough to read: the plot's floor is 5rem (80 px) of bars.
  assert.ok(m.chartInView && m.chart.height >= 79, `${where}: the chart is in view: ${JSON.stringify(m.chart)}`);
  for (const e of [...m.offered, ...m.numbers]) {
    if (e.inView && !e.region) continue;
    assert.ok(e.region, `${where}: ${e.what} is out of view and in no scroll region`);
    assert.ok(e.region.tabIndex === 0 && e.region.label, `${where}: ${e.what} scrolls in a region keyboards reach: ${JSON.stringify(e.region)}`);
    assert.ok(e.region.inView, `${where}: the region that holds ${e.what} is in view`);
  }
  assert.ok(m.offered.length > 0 || /controls=(&|$| )/.test(query), `${where}: offered controls are drawn`);
  assert.ok(m.numbers.length > 0, `${where}: the numbers are drawn`);
  assert.deepEqual(m.clippedNames, [], `${where}: server names stay whole`);
  assert.ok(m.labels.some((l) => /\D/.test(l.text)) && m.labels.some((l) => /^\d+$/.test(l.text)), `${where}: names and counts show`);
  const hidden = m.labels.filter((l) => !l.inView).map((l) => l.text);
  assert.deepEqual(hidden, [], `${where}: the names and counts under the bars are in view`);
  // ... and none overlaps another (compare mode's panels, side by side, are narrow charts:
  // four in a 720 px frame ran their names together); 0.5 px absorbs sub-pixel rounding.
  for (const [i, a] of m.labels.entries()) {
    for (const b of m.labels.slice(i + 1)) {
      const overlap = a.x < b.right - 0.5 && b.x < a.right - 0.5 && a.y < b.bottom - 0.5 && b.y < a.bottom - 0.5;
      assert.ok(!overlap, `${where}: "${a.text}" and "${b.text}" overlap: ${JSON.stringify([a, b])}`);
    }
  }
  assert.equal(m.h1, 1, `${where}: one h1 (the lesson's title, or the lab's name for screen readers)`);
}

// 328x480: the builder's 720x480 snippet in a 360 px column. With every control the stage had
// 168 px there and the chart's foot sat at 287, out of view in its scroller (compare mode too);
// later compare mode's names sat 19 px under the stage's view there, under a two-line clock.
for (const [width, height] of [
  [720, 480],
  [360, 740],
  [328, 480],
]) {
  appTest(`every embed fits ${width}x${height}`, { query: EMBEDS[0], viewport: { width, height }, timeout: 240_000 }, async ({ page, open }) => {
    for (const query of EMBEDS) {
      await open(query);
      await page.waitForTimeout(300);
      assertFits(await measure(page), query);
      // With the history and decision log open, the page still does not scroll.
      await page.locator('details.more > summary').click();
      // opened, the history is drawn by the small views' bundle once it comes near the viewport
      await page.locator('.more .history-place').scrollIntoViewIfNeeded();
      await page.locator('.more .time-series').waitFor({ timeout: 10_000 });
      await page.waitForTimeout(100);
      assertFits(await measure(page), `${query} (history open)`);
    }
  });
}

/** Boxes of the visible names and buttons under the bars, and whether any text is cut. */
async function labelBoxes(page) {
  return page.evaluate(() => {
    const shown = (e) => e.offsetParent !== null && getComputedStyle(e).visibility === 'visible';
    const all = Array.from(document.querySelectorAll('.bar-labels .name, .bar-labels .count, .bar-labels .meta, .bar-labels .state, .server-actions button')).filter(shown);
    return {
      innerWidth,
      scrollWidth: document.scrollingElement.scrollWidth,
      items: all.map((e) => {
        const r = e.getBoundingClientRect();
        return { text: e.textContent, x: r.x, y: r.y, right: r.right, bottom: r.bottom, cut: e.scrollWidth > e.clientWidth + 1 };
      }),
    };
  });
}

for (const [width, height] of [
  [1280, 800],
  [360, 740],
]) {
  appTest(`names and buttons under 2 to 64 bars never overlap at ${width}px`, { query: 'servers=2&paused=1', viewport: { width, height }, timeout: 180_000 }, async ({ page, open }) => {
    for (const n of [2, 8, 12, 64]) {
      for (const query of [`servers=${n}&paused=1`, `servers=${n}&mode=manual&embed=1&controls=server-actions`]) {
        await open(query);
        // A draining server: its state word is a label too. Its panel opens from the first
        // name, which shows at every stride.
        await page.locator(byTestId('pick-server1')).first().click();
        await page.locator(`${byTestId('server-panel')} ${byTestId('drain-server1')}`).click();
        const { items, scrollWidth, innerWidth } = await labelBoxes(page);
        const where = `${query} at ${width}px`;
        assert.ok(scrollWidth <= innerWidth, `${where}: no sideways scroll (${scrollWidth})`);
        assert.ok(items.length >= Math.min(n, 2), `${where}: some names show (${items.length})`);
        for (const a of items) {
          assert.ok(!a.cut, `${where}: "${a.text}" is whole`);
          assert.ok(a.x >= 0 && a.right <= innerWidth, `${where}: "${a.text}" is on screen: ${JSON.stringify(a)}`);
        }
        for (const [i, a] of items.entries()) {
          for (const b of items.slice(i + 1)) {
            // Touching edges are fine; 0.5 px absorbs sub-pixel rounding.
            const overlap = a.x < b.right - 0.5 && b.x < a.right - 0.5 && a.y < b.bottom - 0.5 && b.y < a.bottom - 0.5;
            assert.ok(!overlap, `${where}: "${a.text}" and "${b.text}" overlap: ${JSON.stringify([a, b])}`);
          }
        }
      }
    }
  });
}

appTest('a server panel sets its weight, and weighted round robin follows it', { query: 'algo=weighted-round-robin&servers=3&mode=manual' }, async ({ page }) => {
  await clickTestId(page, 'pick-server1');
  const panel = page.locator(byTestId('server-panel'));
  await panel.waitFor({ state: 'visible' });
  await setRange(page, 'server-weight', 5);
  await eventually(async () => assert.equal(queryOf(page).weights, '5,1,1', 'the same setting as the URL'));
  // nginx's smooth weighted round robin over 5,1,1: a a b a c a a, so seven requests go 5, 1, 1.
  await clickTestId(page, 'fire', 7);
  await eventually(async () => assert.deepEqual(await connections(page), [5, 1, 1]));
  // Every server is reachable from the panel: Next walks round to the first again.
  for (const name of ['server2', 'server3', 'server1']) {
    await panel.getByRole('button', { name: 'Next server' }).click();
    await eventually(async () => assert.equal(await panel.locator('h3').innerText(), name));
  }
  await setRange(page, 'server-speed', 0.5);
  await eventually(async () => assert.equal(queryOf(page).speeds, '0.5,1,1'));
});

appTest('64 servers: every server is reachable from the keyboard', { query: 'servers=64&mode=manual', viewport: { width: 360, height: 740 } }, async ({ page }) => {
  await page.locator('.bar-labels button.name').first().focus();
  await page.keyboard.press('Enter');
  const panel = page.locator(byTestId('server-panel'));
  await panel.waitFor({ state: 'visible' });
  await panel.getByRole('button', { name: 'Previous server' }).click();
  assert.equal(await panel.locator('h3').innerText(), 'server64', 'Previous from the first is the last');
});

appTest('focus stays on a control after Fail and Drain', { query: 'servers=3&paused=1&health-interval=0' }, async ({ page }) => {
  const focused = () => page.evaluate(() => document.activeElement?.dataset?.testid ?? document.activeElement?.tagName);
  await page.locator(byTestId('fail-server2')).focus();
  await page.keyboard.press('Enter');
  await eventually(async () => assert.equal(await focused(), 'heal-server2', 'focus moves to Heal, not to <body>'));
  await page.locator(byTestId('drain-server1')).focus();
  await page.keyboard.press('Enter');
  await eventually(async () => assert.equal(await focused(), 'heal-server1'));
  // In a server's panel too.
  await clickTestId(page, 'pick-server3');
  const panel = page.locator(byTestId('server-panel'));
  await panel.locator(byTestId('fail-server3')).focus();
  await page.keyboard.press('Enter');
  await eventually(async () => {
    const inPanel = await page.evaluate(() => document.activeElement?.closest('[data-testid="server-panel"]') !== null);
    assert.equal(await focused(), 'heal-server3');
    assert.ok(inPanel, 'the panel keeps the focus');
  });
});

appTest(
  'the lesson title and caption are text, and Back to the lesson restores the link',
  { query: `embed=1&rate=30&controls=rate,reset&title=${encodeURIComponent('<b>Round robin</b>')}&caption=${encodeURIComponent('Fire ten requests: <i>which</i> server gets the tenth?')}`, viewport: { width: 720, height: 480 } },
  async ({ page, open }) => {
    const h1 = page.locator('h1');
    assert.equal(await h1.count(), 1);
    assert.equal(await h1.innerText(), '<b>Round robin</b>', 'shown as written, never as markup');
    assert.equal(await page.locator('h1 b, [data-testid="caption"] i').count(), 0, 'no element made from the text');
    assert.equal(await page.locator(byTestId('caption')).innerText(), 'Fire ten requests: <i>which</i> server gets the tenth?');

    const typed = page.locator(byTestId('rate-typed'));
    await typed.fill('90');
    await typed.press('Enter');
    await eventually(async () => assert.equal(queryOf(page).rate, '90'));
    await clickTestId(page, 'reset');
    assert.equal(queryOf(page).rate, '90', 'Reset keeps the changed rate');
    await clickTestId(page, 'back-to-lesson');
    await eventually(async () => assert.equal(queryOf(page).rate, '30', 'the lesson link again'));
    assert.equal(queryOf(page).title, '<b>Round robin</b>');

    await open(`embed=1&title=${'x'.repeat(81)}`);
    const warning = await page.locator(byTestId('param-warning')).innerText();
    assert.match(warning, /title="x{40}…": allowed: 1 to 80 characters/, warning);
  },
);

appTest('keyboards reach every scroll region; draining reads at 4.5:1', { query: 'servers=3&paused=1&mode=manual' }, async ({ page }) => {
  await clickTestId(page, 'fire-burst');
  const log = page.locator('.decision-log ol');
  assert.equal(await log.getAttribute('tabindex'), '0');
  assert.ok(await log.getAttribute('aria-label'), 'the log region has a label');
  await clickTestId(page, 'drain-server1');
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    const ratio = await page.locator('.bar-labels .state.draining').evaluate((e) => {
      const rgb = (c) => c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
      const lum = (c) => {
        const [r, g, b] = rgb(c).map((v) => {
          v /= 255;
          return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const s = getComputedStyle(e);
      const [a, b] = [lum(s.color), lum(s.backgroundColor)].sort((x, y) => y - x);
      return (a + 0.05) / (b + 0.05);
    });
    // WCAG AA for text under 18pt: 4.5:1.
    assert.ok(ratio >= 4.5, `"draining" in ${scheme} mode: contrast ${ratio.toFixed(2)}:1`);
  }
});

// Screenshots to look at: the lab as a class would see it, light and dark, at each size.
for (const scheme of ['light', 'dark']) {
  for (const [width, height, query] of [
    [1280, 800, 'algo=weighted-round-robin&servers=8&weights=4,1,1,1,1,1,1,1&rate=40&speeds=1,1,1,1,1,1,1,0.4'],
    [720, 480, 'embed=1&mode=manual&algo=least-connections&controls=fire,server-actions,algo&title=Least%20connections%2C%20by%20hand&caption=Fire%20ten%20requests%2C%20then%20complete%20two%20on%20server2%3A%20where%20does%20the%20next%20go%3F'],
    [720, 480, 'embed=1&mode=compare&algos=round-robin,least-connections,power-of-two,peak-ewma&servers=4&rate=30&speeds=1,1,0.3,1'],
    [360, 740, 'embed=1&servers=12&rate=60&controls=rate,algo,server-actions'],
    [360, 740, 'servers=8&mode=manual'],
  ]) {
    appTest(`look ${scheme} ${width}x${height} ${query.slice(0, 40)}`, { query, viewport: { width, height } }, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      if (query.includes('mode=manual')) {
        await clickTestId(page, 'fire-burst');
        await page.locator(byTestId('pick-server1')).first().click();
      }
      await page.waitForTimeout(1500);
      const m = await measure(page);
      assert.ok(m.scrollWidth <= m.innerWidth, `nothing sideways at ${width}px`);
    });
  }
}
