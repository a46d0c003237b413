import { chromium } from 'playwright-core';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu'] });
const [url,w,h] = [process.argv[2], +process.argv[3], +process.argv[4]];
const p = await b.newPage({ viewport: { width: w, height: h } });
await p.goto('http://127.0.0.1:8123/' + url);
await p.waitForTimeout(2000);
console.log(await p.evaluate(() => {
  const r = s => [...document.querySelectorAll(s)].slice(0,3).map(e => { const b = e.getBoundingClientRect(); return `${s}: top ${b.top|0} bottom ${b.bottom|0} h ${b.height|0}`; });
  return [r('.stage'), r('.stage-head'), r('.stage > .actions'), r('.compare-panel'), r('.compare-panel h3'), r('.compare-panel .bars'), r('.compare-panel .bar-labels'), r('.compare-panel .panel-counts'), r('.controls-panel'), r('.more'), r('.experiments')].flat().join('\n');
}));
await b.close();
