// Lighthouse (12.2.3, pinned in package.json) on the release build, served with compression as
// a real host serves it (static_gzip.mjs, not the python server of LBVIZ_URL): the lab `/` and
// a guided lesson embedded in a course (`/?embed=1&lesson=course`), one run each.
//
// Asserted (issue 18): the accessibility score is 100 and the cumulative layout shift under
// 0.1 (Lighthouse's "good"), on both. Recorded, not asserted: the performance score, whose goal
// is 95 on an idle machine but which moves by tens of points on a busy one (its timings are
// simulated from the CPU time the page took).
//
// Sizes: the lab and the embed at Lighthouse's default, a mobile phone (412x823, 4x CPU
// slowdown and a slow 4G link, simulated): the lab must work on a 360x740 phone, and a course
// page on a phone gives its frame about that width; and the embed again at the house's frame,
// 720x480, with Lighthouse's desktop settings (no CPU slowdown, a fast link), where the layout
// has two columns (stage and controls) and a late change of layout moves the most.

// Run (after a release build into dist/):
//   CHROME_PATH=/usr/bin/chromium node --test tests/e2e/lighthouse.test.mjs

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import * as chromeLauncher from 'chrome-launcher';
import lighthouse, { desktopConfig } from 'lighthouse';

import { ROOT } from './helpers.mjs';
import { serveGzip } from './static_gzip.mjs';

const CHROME_PATH = process.env.CHROME_PATH ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const DIST = join(ROOT, 'dist');
const REPORTS = join(ROOT, 'target', 'e2e');

/** The performance score Lighthouse should give on an idle machine (issue 18). */
const PERFORMANCE_GOAL = 95;
/** Lighthouse's threshold of a "good" cumulative layout shift. */
const CLS_LIMIT = 0.1;

// Root needs --no-sandbox; the rest keep chromium from calling home and from work that is not
// the page's (the same as tests/e2e/helpers.mjs).
const CHROME_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

let server;
before(async () => {
  assert.ok(existsSync(join(DIST, 'index.html')), `no release build in ${DIST}: build it first (scripts/test.sh, or build_release in scripts/tools.sh)`);
  server = await serveGzip(DIST);
});
after(() => server?.close());

/** Lighthouse's desktop settings in a 720x480 frame. */
const FRAME_CONFIG = {
  ...desktopConfig,
  settings: { ...desktopConfig.settings, screenEmulation: { mobile: false, width: 720, height: 480, deviceScaleFactor: 1, disabled: false } },
};

/**
 * Runs Lighthouse once on `query` (with `config`, or its default, mobile) in a fresh chromium
 * with a fresh profile; saves the JSON report as target/e2e/lighthouse-NAME.json and returns
 * Lighthouse's result (`{ lhr, artifacts }`).
 */
async function audit(name, query, config) {
  const userDataDir = await mkdtemp(join(tmpdir(), 'lbviz-lighthouse-'));
  const chrome = await chromeLauncher.launch({ chromePath: CHROME_PATH, chromeFlags: CHROME_FLAGS, userDataDir, logLevel: 'silent' });
  try {
    const url = new URL(query, server.base).href;
    const result = await lighthouse(url, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility'],
      // the lab animates for ever, so the CPU is never quiet for long: stop waiting at 20 s
      maxWaitForLoad: 20_000,
    }, config);
    assert.ok(result?.lhr, `Lighthouse returned no result for ${url}`);
    assert.equal(result.lhr.runtimeError, undefined, `Lighthouse failed on ${url}: ${JSON.stringify(result.lhr.runtimeError)}`);
    await mkdir(REPORTS, { recursive: true });
    await writeFile(join(REPORTS, `lighthouse-${name}.json`), result.report);
    return result;
  } finally {
    chrome.kill();
    await rm(userDataDir, { recursive: true, force: true });
  }
}

/** The audits of `category` that did not pass, with the elements they name, for a message. */
function failures(lhr, category) {
  return lhr.categories[category].auditRefs
    .filter((ref) => ref.weight > 0 && lhr.audits[ref.id].score !== null && lhr.audits[ref.id].score < 1)
    .map((ref) => {
      const a = lhr.audits[ref.id];
      const nodes = (a.details?.items ?? []).map((item) => item.node?.selector ?? item.node?.snippet).filter(Boolean);
      return `${ref.id} (${a.title})${nodes.length ? ': ' + nodes.join(', ') : ''}`;
    });
}

/**
 * The layout shifts in the run's trace, one string each: when (ms after navigation), the
 * shift's score, and each moved element's box before and after (`x,y wxh`). From the trace,
 * because Lighthouse 12.2's own attribution (its layout-shifts audit) fails on this chromium's
 * traces; docs/performance.md names the elements these boxes are.
 */
function shifts(artifacts) {
  const events = artifacts.Trace?.traceEvents ?? [];
  const start = events.find((e) => e.name === 'navigationStart' && e.args?.data?.documentLoaderURL?.startsWith('http'))?.ts ?? 0;
  const box = ([x, y, w, h]) => `${x},${y} ${w}x${h}`;
  return events
    .filter((e) => e.name === 'LayoutShift' && e.args?.data?.score > 0)
    .map((e) => {
      const d = e.args.data;
      const moved = (d.impacted_nodes ?? []).map((n) => `${box(n.old_rect)} -> ${box(n.new_rect)}`);
      return `at ${Math.round((e.ts - start) / 1000)} ms ${d.score.toFixed(3)}: ${moved.join(', ')}`;
    });
}

for (const [name, query, config] of [
  ['lab', '/'],
  ['lesson-embed', '/?embed=1&lesson=course'],
  ['lesson-embed-720x480', '/?embed=1&lesson=course', FRAME_CONFIG],
]) {
  test(`Lighthouse: ${name} (${query}): accessibility 100 and layout shift under ${CLS_LIMIT}`, { timeout: 90_000 }, async () => {
    const { lhr, artifacts } = await audit(name, query, config);
    const performance = Math.round(lhr.categories.performance.score * 100);
    const accessibility = Math.round(lhr.categories.accessibility.score * 100);
    const cls = lhr.audits['cumulative-layout-shift'].numericValue;
    // performance: recorded only; see the head of this file
    console.log(`BUDGET lighthouse-performance-${name}: ${performance} (goal ${PERFORMANCE_GOAL}) INFO`);
    console.log(`BUDGET lighthouse-accessibility-${name}: ${accessibility} (limit 100) ${accessibility === 100 ? 'PASS' : 'FAIL'}`);
    console.log(`BUDGET lighthouse-cls-${name}: ${cls.toFixed(3)} (limit < ${CLS_LIMIT}) ${cls < CLS_LIMIT ? 'PASS' : 'FAIL'}`);
    for (const s of shifts(artifacts)) console.log(`  layout shift ${name}: ${s}`);
    assert.equal(accessibility, 100, `accessibility ${accessibility} on ${query}; failing audits: ${failures(lhr, 'accessibility').join('; ')}`);
    assert.ok(cls < CLS_LIMIT, `cumulative layout shift ${cls.toFixed(3)} on ${query} (limit < ${CLS_LIMIT}); the shifts (x,y wxh before -> after): ${shifts(artifacts).join('; ') || 'none in the trace'}`);
  });
}
