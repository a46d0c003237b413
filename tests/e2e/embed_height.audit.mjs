// How high a frame of the lab (`?embed=1`, every control) must be, at each width, for the bar
// chart to show: the least height, in steps of 5 px, at which the bars' baseline, every
// server's name and every count are inside the frame and not clipped by a scroller, with the
// frame's page not scrolling. The embed builder's snippet sizes its box from these figures
// (src/components/embed_builder.rs, Size::box_style: 1240 px less the column's width, from 480
// to 740), and this checks that box against them: for each width, the box's height must be at
// least the least height. Also prints the figures with a title and a caption, which the box
// does not allow for (docs/embedding.md, "A narrow page").
//
// Not part of the suite (its name does not end in .test.mjs): it resizes one page some 500
// times, a minute or two. Run it against a served build:
//   LBVIZ_URL=http://127.0.0.1:8080/ node --test tests/e2e/embed_height.audit.mjs

import assert from 'node:assert/strict';

import { CHART_PARTS, appUrl, browserTest, byTestId, unseen } from './helpers.mjs';

const WIDTHS = [320, 328, 360, 400, 460, 500, 540, 560, 580, 599, 600, 640, 720];

/** The snippet's box height for a column `width` px wide (Size::box_style). */
const boxHeight = (width) => Math.min(Math.max(480, 1240 - width), 740);

/** Whether the chart's baseline, names and counts all show and the page does not scroll. */
const chartShows = async (page) => (await unseen(page, CHART_PARTS)).length === 0;

/** The least height, from 300 to 1000 px in steps of 5, at which the chart shows `width` wide. */
async function leastHeight(page, width) {
  for (let height = 300; height <= 1000; height += 5) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(120);
    if (await chartShows(page)) return height;
  }
  return Infinity;
}

for (const [what, query, checked] of [['the lab', 'embed=1', true], ['with a title and a caption', 'embed=1&title=Round%20robin&caption=Fire%20ten%20requests%3A%20which%20server%20gets%20the%20tenth%3F', false]]) {
  browserTest(`the snippet's box is high enough for the chart at every width: ${what}`, { viewport: { width: 720, height: 480 }, timeout: 600_000 }, async ({ page }) => {
    await page.goto(appUrl(query));
    await page.waitForSelector(byTestId('server-bar'), { state: 'attached', timeout: 30_000 });
    const short = [];
    for (const width of WIDTHS) {
      const least = await leastHeight(page, width);
      console.log(`${what}: ${width} px wide: least height ${least}, the box ${boxHeight(width)}`);
      if (least > boxHeight(width)) short.push(`${width} px wide needs ${least}, the box is ${boxHeight(width)}`);
    }
    if (checked) assert.deepEqual(short, [], 'the box is high enough');
  });
}
