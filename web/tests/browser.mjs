// Browser checks of the web map and dashboard: Debian's chromium (headless, WebGL on SwiftShader) driven by
// playwright-core, one launch for every check. Usage:
//   node tests/browser.mjs --base http://127.0.0.1:PORT --out DIR [--chromium /usr/bin/chromium]
// Prints one JSON document {ok, checks:[{name, ok, detail}], consoleErrors, screenshots}; exits 0 when all passed,
// 1 when a check failed, 2 when the browser could not run.
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const base = arg('base', 'http://127.0.0.1:5080').replace(/\/$/, '');
const out = resolve(arg('out', 'test-results'));
const executablePath = arg('chromium', ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p)) ?? 'chromium');
const TIMEOUT = Number(arg('timeout-ms', '180000'));
mkdirSync(out, { recursive: true });

const checks = [];
const consoleErrors = [];
const screenshots = [];
const RED = [0xe3, 0x1a, 0x1c]; // the red-line colour of the map (src/map.ts)
const LOST = [0xd7, 0x19, 0x1c];

function check(name, ok, detail) {
  checks.push({ name, ok: !!ok, detail });
  return !!ok;
}

async function step(name, fn) {
  try {
    await fn();
  } catch (e) {
    check(name, false, `threw: ${e?.stack ?? e}`);
  }
}

let browser;
try {
  browser = await chromium.launch({
    executablePath, headless: true, timeout: TIMEOUT,
    args: ['--headless', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-dev-shm-usage'],
  });
} catch (e) {
  console.log(JSON.stringify({ ok: false, fatal: `could not launch ${executablePath}: ${e?.message ?? e}`, checks, consoleErrors, screenshots }));
  process.exit(2);
}

const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
page.setDefaultTimeout(TIMEOUT);
page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(`console: ${m.text()}`); });
page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
page.on('requestfailed', (r) => { if (!r.failure()?.errorText.includes('ERR_ABORTED')) consoleErrors.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`); });
page.on('response', (r) => { if (r.status() >= 400) consoleErrors.push(`http ${r.status()}: ${r.url()}`); });

/** Waits until the map has rendered everything it asked for. */
async function idle() {
  await page.waitForTimeout(400);
  await page.evaluate((ms) => new Promise((res, rej) => {
    const m = window.ecoMap;
    const timer = setTimeout(() => rej(new Error('map never became idle')), ms);
    const done = () => { clearTimeout(timer); res(); };
    if (m.loaded() && m.areTilesLoaded() && !m.isMoving()) { m.once('idle', done); m.triggerRepaint(); } else m.once('idle', done);
  }), TIMEOUT);
}

async function shot(name) {
  const file = join(out, `${name}.png`);
  await page.screenshot({ path: file });
  screenshots.push(file);
  return file;
}

/** Pixels of the map within `tol` (per channel) of an RGB colour, read from a screenshot of the map element. */
async function countColour(rgb, tol = 30) {
  const png = await page.locator('#map').screenshot();
  return page.evaluate(async ({ b64, rgb, tol }) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width; c.height = img.height;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    let nonBackground = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (Math.abs(d[i] - rgb[0]) <= tol && Math.abs(d[i + 1] - rgb[1]) <= tol && Math.abs(d[i + 2] - rgb[2]) <= tol) n++;
      if (Math.abs(d[i] - 0xf4) + Math.abs(d[i + 1] - 0xf2) + Math.abs(d[i + 2] - 0xec) > 12) nonBackground++;
    }
    return { n, nonBackground, total: d.length / 4 };
  }, { b64: png.toString('base64'), rgb, tol });
}

/** A screen point (map-relative) over a rendered feature of a style layer, scanning a grid. */
async function pointOver(layerId) {
  return page.evaluate((layerId) => {
    const m = window.ecoMap;
    const { width, height } = m.getCanvas().getBoundingClientRect();
    const candidates = [];
    for (let y = 20; y < height - 20; y += 12) {
      for (let x = 20; x < width - 20; x += 12) {
        const f = m.queryRenderedFeatures([x, y], { layers: [layerId] });
        if (f.length > 0) {
          // Prefer points deep inside: all four neighbours 10 px away hit the same feature.
          const inside = [[10, 0], [-10, 0], [0, 10], [0, -10]].every(([dx, dy]) =>
            m.queryRenderedFeatures([x + dx, y + dy], { layers: [layerId] }).some((g) => g.id === f[0].id));
          candidates.push({ x, y, inside, id: f[0].id, properties: f[0].properties });
        }
      }
    }
    return candidates.find((c) => c.inside) ?? candidates[0] ?? null;
  }, layerId);
}

async function mapBox() {
  return page.locator('#map').boundingBox();
}

await step('page loads', async () => {
  await page.goto(`${base}/`, { waitUntil: 'networkidle', timeout: TIMEOUT });
  await page.waitForSelector('body[data-ready="true"]');
  await idle();
  const title = await page.locator('h1').innerText();
  const note = await page.locator('#demo-note').innerText();
  check('page loads in Chinese with the synthetic-data note', title.includes('生态保护') && note.includes('合成'), { title, note });
  await shot('map');
});

let redBefore;
await step('red lines drawn', async () => {
  redBefore = await countColour(RED);
  check('map canvas has red-line pixels', redBefore.n > 150 && redBefore.nonBackground > redBefore.total * 0.2, redBefore);
});

await step('toggle red lines', async () => {
  await page.locator('#toggle-redlines').uncheck();
  await idle();
  const off = await countColour(RED);
  await shot('map-redlines-off');
  check('toggling the red lines off removes their pixels', off.n < redBefore.n * 0.2, { before: redBefore.n, after: off.n });
  await page.locator('#toggle-redlines').check();
  await idle();
  const on = await countColour(RED);
  check('toggling them on brings them back', on.n > redBefore.n * 0.8, { before: redBefore.n, after: on.n });
});

await step('click a red line', async () => {
  const p = await pointOver('redlines-fill');
  if (!check('a red-line feature is on screen', p, p)) return;
  const box = await mapBox();
  await page.mouse.click(box.x + p.x, box.y + p.y);
  const popup = page.locator('.feature-popup[data-layer="redlines"]');
  await popup.waitFor();
  const code = String(p.properties.code);
  // The popup fills in the complete attributes from OGC API Features; wait for the area row.
  await page.waitForFunction(() => /m²/.test(document.querySelector('.feature-popup tr.area')?.textContent ?? ''));
  const text = await popup.innerText();
  check('clicking a red line shows its code and area in m², hm² and 亩',
    text.includes(code) && /[\d,]+ m²/.test(text) && text.includes('hm²') && text.includes('亩'), { code, text });
  await shot('map-feature');
  await page.keyboard.press('Escape');
  await page.evaluate(() => document.querySelector('.maplibregl-popup-close-button')?.click());
});

await step('zoom to an admin unit', async () => {
  const before = await page.evaluate(() => window.ecoMap.getZoom());
  const option = await page.locator('#zoom-admin option').nth(1).getAttribute('value');
  await page.selectOption('#zoom-admin', option);
  await idle();
  const after = await page.evaluate(() => window.ecoMap.getZoom());
  check('zooming to an admin unit zooms in', after > before + 0.3, { unit: option, before, after });
});

await step('change view', async () => {
  await page.click('#tabs button[data-view="changes"]');
  await page.waitForSelector('#change-totals');
  await idle();
  const lost = Number(await page.locator('#change-totals tr.lost td').first().getAttribute('data-m2'));
  const text = await page.locator('#change-totals').innerText();
  const pixels = await countColour(LOST, 25);
  check('change view shows the lost area in red with totals', lost > 0 && pixels.n > 20 && text.includes('m²'), { lost, text, pixels });
  await shot('changes');
});

await step('encroachment view', async () => {
  await page.click('#tabs button[data-view="encroachments"]');
  await page.waitForSelector('#enc-table tbody tr', { timeout: TIMEOUT });
  const rows = await page.locator('#enc-table tbody tr').count();
  const values = async () => page.locator('#enc-table tbody td[data-m2]').evaluateAll((tds) => tds.map((td) => Number(td.dataset.m2)));
  const desc = await values();
  await page.click('#enc-table th[data-sort="overlapM2"]');
  const asc = await values();
  const sorted = desc.every((v, i) => i === 0 || desc[i - 1] >= v) && asc.every((v, i) => i === 0 || asc[i - 1] <= v);
  const zoomBefore = await page.evaluate(() => window.ecoMap.getZoom());
  await page.locator('#enc-table tbody tr').first().click();
  await idle();
  const zoomAfter = await page.evaluate(() => window.ecoMap.getZoom());
  const selected = await page.locator('#enc-table tbody tr.selected').count();
  check('encroachment list has rows, sorts by overlap, and a row click zooms to it',
    rows > 0 && sorted && selected === 1 && zoomAfter > zoomBefore, { rows, sorted, zoomBefore, zoomAfter });
  await shot('encroachments');
});

await step('site screening', async () => {
  await page.click('#tabs button[data-view="screening"]');
  // The whole city in view (the bounds of the admin units' tiles).
  await page.evaluate(async () => {
    const { bounds } = await (await fetch('/tiles/admin-units.json')).json();
    window.ecoMap.fitBounds(bounds, { padding: 20, animate: false });
  });
  await idle();
  const p = await pointOver('redlines-fill');
  if (!check('a red line is on screen to screen against', p, p)) return;
  const box = await mapBox();
  await page.click('#screen-draw');
  for (const [dx, dy] of [[-8, -8], [8, -8], [8, 8], [-8, 8]]) {
    await page.mouse.click(box.x + p.x + dx, box.y + p.y + dy);
    await page.waitForTimeout(350); // not a double-click
  }
  await page.click('#screen-finish');
  await page.waitForSelector('#screen-verdict');
  const verdict = await page.locator('#screen-verdict').getAttribute('data-verdict');
  const layers = await page.locator('#screen-findings tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.layer));
  check('screening a polygon drawn over a red line shows a red-line conflict',
    verdict === 'prohibited' && layers.includes('redlines'), { verdict, layers, text: await page.locator('#view-screening').innerText() });
  await shot('screening');

  // The same site as a dropped GeoJSON file (the file input takes the same path as a drop).
  const ring = await page.evaluate(({ p }) => {
    const m = window.ecoMap;
    const ll = [[-8, -8], [8, -8], [8, 8], [-8, 8], [-8, -8]].map(([dx, dy]) => m.unproject([p.x + dx, p.y + dy]));
    return ll.map((c) => [c.lng, c.lat]);
  }, { p });
  await page.setInputFiles('#screen-file', {
    name: 'site.geojson', mimeType: 'application/geo+json',
    buffer: Buffer.from(JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ring] } }] })),
  });
  await page.waitForFunction(() => document.querySelector('#screen-verdict')?.dataset.verdict === 'prohibited');
  check('screening a GeoJSON file gives the same verdict', true, {});
});

let catalogue = [];
await step('dashboard', async () => {
  catalogue = await page.evaluate(async () => (await fetch('/api/indicators')).json());
  await page.click('#tabs button[data-view="dashboard"]');
  await page.waitForSelector('#dash-table[aria-busy="false"] tbody tr', { timeout: TIMEOUT });
  const rows = await page.locator('#dash-table tbody tr').evaluateAll((trs) => trs.map((tr) => ({
    id: tr.dataset.id, status: tr.dataset.status, value: tr.querySelector('td.value')?.textContent ?? '', text: tr.textContent,
  })));
  const statuses = new Set(['pass', 'fail', 'not-applicable', 'no-data']);
  const withValues = rows.filter((r) => /\d/.test(r.value));
  check('the dashboard lists every indicator with a status and values',
    rows.length === catalogue.length && rows.every((r) => statuses.has(r.status)) && withValues.length >= 4, rows);
  const redline = rows.find((r) => r.id === 'redline-area-change');
  check('the demo red-line loss fails its indicator', redline?.status === 'fail', redline);
  const href = await page.locator('#dash-table tr[data-id="forest-grass-coverage"] a').getAttribute('href');
  const csv = await page.evaluate(async (href) => {
    const r = await fetch(href);
    return { status: r.status, type: r.headers.get('content-type'), text: (await r.text()).slice(0, 400) };
  }, href);
  check('the CSV link gives CSV', csv.status === 200 && csv.type?.includes('text/csv') && csv.text.split('\n').length > 2, { href, ...csv });
  await shot('dashboard');
});

await step('English', async () => {
  await page.click('#lang');
  const tab = await page.locator('#tabs button[data-view="dashboard"]').innerText();
  const header = await page.locator('#dash-table thead').innerText();
  const note = await page.locator('#demo-note').innerText();
  check('the English toggle translates the page', tab === 'Indicators' && header.includes('Value') && note.includes('synthetic'), { tab, header, note });
  await shot('dashboard-en');
  await page.click('#lang');
});

check('no console errors, failed requests or HTTP errors', consoleErrors.length === 0, consoleErrors);
await browser.close();
const ok = checks.every((c) => c.ok);
const report = { ok, checks, consoleErrors, screenshots };
writeFileSync(join(out, 'report.json'), JSON.stringify(report, null, 2));
console.log(JSON.stringify(report));
process.exit(ok ? 0 : 1);
