import { chromium } from 'playwright-core';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--no-first-run'] });
const shots = JSON.parse(process.argv[2]);
for (const [name, url, w, h, dark] of shots) {
  const p = await b.newPage({ viewport: { width: w, height: h }, colorScheme: dark ? 'dark' : 'light' });
  await p.goto('http://127.0.0.1:8123/' + url);
  await p.waitForTimeout(2500);
  await p.screenshot({ path: `/tmp/shots/${name}.png` });
  const sc = await p.evaluate(() => [document.documentElement.scrollHeight, innerHeight, document.documentElement.scrollWidth, innerWidth]);
  console.log(name, sc);
  await p.close();
}
await b.close();
