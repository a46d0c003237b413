// Shared harness of the end-to-end tests: launches Debian's chromium through playwright-core
// (no browser download), opens the app served at LBVIZ_URL, reads the stable test hooks
// (data-testid), and saves a screenshot of every test under target/e2e/NAME.png.
//
// Run:  LBVIZ_URL=http://127.0.0.1:8080/ node --test tests/e2e/
// (scripts/test.sh builds dist/, serves it on a free port and does this.)

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

/** Where the app is served; every test opens this with its own query. */
export const BASE_URL = process.env.LBVIZ_URL ?? 'http://127.0.0.1:8080/';
/** The browser: Debian's chromium unless CHROMIUM_PATH says otherwise. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The repository's root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCREENSHOTS = join(ROOT, 'target', 'e2e');

// Root needs --no-sandbox; the rest keep chromium from calling home, which the closed
// network of CI would refuse many times over.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** How long the page has to start (load and instantiate the wasm) before a test gives up. */
const START_TIMEOUT_MS = 30_000;

/** The app's URL with `query` (without the leading `?`). */
export function appUrl(query = '') {
  const url = new URL(BASE_URL);
  url.search = query;
  return url.href;
}

/** A CSS selector for a `data-testid`. */
export const byTestId = (id) => `[data-testid="${id}"]`;

function slug(name) {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * Declares a test that gets a fresh chromium (fresh user-data dir) and a page. `fn`
 * receives `{ page, context, requests, pageErrors }`; `args` adds chromium flags; `todo` (a
 * reason) runs it and reports its result without failing the run. The screenshot is taken
 * whether the test passes or fails, and an uncaught page error fails the test.
 */
export function browserTest(name, { viewport = { width: 1280, height: 900 }, timeout = 90_000, args = [], todo } = {}, fn) {
  test(name, { timeout, todo }, async (t) => {
    const userDataDir = await mkdtemp(join(tmpdir(), 'lbviz-e2e-'));
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS, ...args],
      viewport,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const requests = [];
    const pageErrors = [];
    context.on('request', (request) => requests.push(request.url()));
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    try {
      await fn({ page, context, requests, pageErrors, t });
      assert.deepEqual(pageErrors, [], 'the page threw uncaught errors');
    } finally {
      await mkdir(SCREENSHOTS, { recursive: true });
      await page
        .screenshot({ path: join(SCREENSHOTS, `${slug(name)}.png`), fullPage: true })
        .catch((e) => console.error(`screenshot of "${name}" failed: ${e}`));
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    }
  });
}

/**
 * Declares a browserTest with the app open at `query`; `fn` also receives `open(query)`,
 * which navigates again and waits for the app.
 */
export function appTest(name, { query = '', ...options } = {}, fn) {
  browserTest(name, options, async (args) => {
    const open = async (q) => {
      await args.page.goto(appUrl(q));
      await waitForApp(args.page);
    };
    await open(query);
    await fn({ ...args, open });
  });
}

/** Waits until the app has drawn its server bars; on timeout says what the page showed. */
export async function waitForApp(page) {
  try {
    await page.waitForSelector(byTestId('server-bar'), { state: 'attached', timeout: START_TIMEOUT_MS });
  } catch {
    const body = await page.evaluate(() => document.body?.innerText ?? '').catch(() => '');
    assert.fail(`no server bars within ${START_TIMEOUT_MS / 1000}s of opening ${page.url()}; the page showed: ${JSON.stringify(body.slice(0, 500))}`);
  }
}

/** Every server bar in document order, from its data attributes. */
export async function readBars(page) {
  return page.$$eval(byTestId('server-bar'), (groups) =>
    groups.map((g) => ({
      server: g.dataset.server,
      connections: Number(g.dataset.connections),
      inService: Number(g.dataset.inService),
      waiting: Number(g.dataset.waiting),
      erring: Number(g.dataset.erring),
      // Everything a reader could see that says the server's state: text, labels, attributes.
      label: [
        g.textContent,
        g.getAttribute('aria-label'),
        ...Array.from(g.querySelectorAll('title,[aria-label]'), (e) => e.textContent + ' ' + (e.getAttribute('aria-label') ?? '')),
        ...Array.from(g.attributes, (a) => a.value),
      ]
        .filter(Boolean)
        .join(' '),
    })),
  );
}

/** The connections of every bar, in order. */
export async function connections(page) {
  return (await readBars(page)).map((b) => b.connections);
}

/**
 * Retries `check` (which throws while not yet true) until it passes or `timeout` ms have
 * gone by; then throws its last error.
 */
export async function eventually(check, { timeout = 5_000, interval = 50 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, interval));
    }
  }
}

/** Waits for the bars to hold exactly `expected` connections (in server order). */
export async function expectConnections(page, expected, what = '') {
  await eventually(async () => {
    const bars = await readBars(page);
    assert.deepEqual(
      bars.map((b) => b.connections),
      expected,
      `${what ? what + ': ' : ''}expected connections ${JSON.stringify(expected)}, the bars show ${JSON.stringify(bars.map((b) => `${b.server}=${b.connections}`))}`,
    );
  });
}

/** Clicks the element with `data-testid` `id`, `times` times. */
export async function clickTestId(page, id, times = 1) {
  const target = page.locator(byTestId(id));
  for (let i = 0; i < times; i++) await target.click();
}

/** Opens the lab's Presets and files panel (closed at first; the on-demand bundle draws its
 * content) and waits for its preset select. */
export async function openFiles(page) {
  const details = page.locator(byTestId('files-open'));
  if (!(await details.evaluate((d) => d.open))) await details.locator('summary').click();
  await page.locator(byTestId('preset')).waitFor({ timeout: 10_000 });
}

/** Sets a range input to `value` the way a user's drag ends: value, then input and change. */
export async function setRange(page, id, value) {
  await page.locator(byTestId(id)).evaluate((input, v) => {
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
    setter.call(input, String(v));
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);
}

/** The number in a metric's `data-value`. */
export async function metric(page, name) {
  return Number(await page.locator(byTestId(`metric-${name}`)).getAttribute('data-value'));
}

/** The texts of the decision log's entries, in page order. */
export async function decisions(page) {
  return page.$$eval(byTestId('decision'), (entries) => entries.map((e) => e.textContent.trim()));
}

/** The query parameters of the page's current URL, as an object. */
export function queryOf(page) {
  return Object.fromEntries(new URL(page.url()).searchParams);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const HERE = dirname(fileURLToPath(import.meta.url));
const DIST = join(ROOT, 'dist');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml' };

/**
 * Serves dist/ (and /fixtures/ from tests/e2e/fixtures) on a free loopback port with
 * `Access-Control-Allow-Origin: *`, which a frame sandboxed without allow-same-origin needs
 * (python's http.server sends no CORS header); `{ cors: false }` leaves the header out, as
 * such a server does. Returns `{ server, base }`.
 */
export async function corsServer({ cors = true } = {}) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = path.startsWith('/fixtures/')
      ? join(HERE, normalize(path).replace(/^\/+/, ''))
      : join(DIST, normalize(path === '/' ? '/index.html' : path));
    try {
      const body = await readFile(file);
      const type = { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' };
      res.writeHead(200, cors ? { ...type, 'Access-Control-Allow-Origin': '*' } : type);
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${server.address().port}` };
}

/** The bars' baseline and every drawn name and count: what a learner must see of a chart. */
export const CHART_PARTS = [
  ['the bars\' baseline', '.bar-chart .bars'],
  ['a server\'s name', '.bar-labels .name', true],
  ['a server\'s count', '.bar-labels .count', true],
];

/**
 * What of `parts` is not fully on screen in `page` (a page or a frame), as a list of
 * sentences, empty when all show. Each part is `[what, selector, all]`: the elements the
 * selector matches and CSS draws (every one when `all` is set, else the first) must have a
 * box, lie inside the viewport (1 px of rounding allowed) and inside every ancestor that
 * clips its overflow; and the page itself must not scroll.
 */
export async function unseen(page, parts) {
  return page.evaluate((parts) => {
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
    for (const [what, selector, all] of parts) {
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
    const scroller = document.scrollingElement;
    if (scroller.scrollHeight > innerHeight + 1) out.push(`the page scrolls (${scroller.scrollHeight} px in ${innerHeight})`);
    return out;
  }, parts);
}
