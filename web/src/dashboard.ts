// Indicator dashboard: for an admin unit and a year, every indicator with value, target, pass/fail and inputs.
import { adminUnits, el, getJson, layers, versions, type AdminUnit, type IndicatorInfo, type IndicatorValue } from './api';
import { lang, num, onLang, t } from './i18n';
import { fitTo } from './map';

/** Indicators that need an admin code (their inputs are entered per county). */
const NEEDS_REGION = new Set(['construction-land-per-gdp']);

export function renderDashboard(panel: HTMLElement): void {
  let region = '';
  let year = '';
  let years: string[] = [];
  let catalogue: IndicatorInfo[] = [];
  const results = new Map<string, IndicatorValue | Error>();
  let loading = false;

  let county = '';
  const query = (id = '') => {
    const q = new URLSearchParams();
    // Indicators of statistics entered per county (GDP) take the county's code for the whole city.
    const r = region || (NEEDS_REGION.has(id) ? county : '');
    if (r) q.set('region', r);
    if (year) q.set('asOf', `${year}-12-31`);
    return q;
  };

  async function load(): Promise<void> {
    loading = true;
    results.clear();
    await draw();
    await Promise.all(catalogue.map(async (i) => {
      try {
        if (NEEDS_REGION.has(i.id) && !query(i.id).has('region')) throw new Error(t('needsRegion'));
        results.set(i.id, await getJson<IndicatorValue>(`/api/indicators/${i.id}?${query(i.id)}`));
      } catch (e) {
        results.set(i.id, e as Error);
      }
    }));
    loading = false;
    await draw();
  }

  const valueText = (r: IndicatorValue) => {
    if (r.value === null || r.value === undefined) return '–';
    if (r.unit === 'm2') return `${num(r.value, 0)} m²`;
    if (r.unit === '%') return `${num(r.value, 2)} %`;
    return `${num(r.value, 2)} ${r.unit}`;
  };

  async function draw(): Promise<void> {
    const units = await adminUnits().catch(() => []);
    const regionPick = el('select', { id: 'dash-region' }, el('option', { value: '' }, t('wholeCity')),
      ...units.map((u) => { const o = el('option', { value: u.code }, `${u.name} (${u.code})`); o.selected = u.code === region; return o; }));
    regionPick.addEventListener('change', () => { region = regionPick.value; showRegion(units); void load(); });
    const yearPick = el('select', { id: 'dash-year' }, ...years.map((y) => { const o = el('option', { value: y }, y); o.selected = y === year; return o; }));
    yearPick.addEventListener('change', () => { year = yearPick.value; void load(); });
    const rows = catalogue.map((info) => {
      const r = results.get(info.id);
      const name = lang() === 'zh' ? info.nameZh : info.nameEn;
      const csv = el('a', { href: `/api/indicators/${info.id}?${query(info.id)}&f=csv`, download: `${info.id}-${region || 'all'}-${year}.csv` }, t('csv'));
      if (!r) return el('tr', { 'data-id': info.id }, el('td', {}, info.tableNumber), el('td', {}, name), el('td', { colspan: '5', class: 'hint' }, t('loading')));
      if (r instanceof Error) {
        return el('tr', { 'data-id': info.id, 'data-status': 'error' }, el('td', {}, info.tableNumber), el('td', {}, name),
          el('td', { colspan: '3', class: 'error' }, r.message), el('td', {}, el('span', { class: 'status error' }, t('status.error'))), el('td', {}));
      }
      return el('tr', { 'data-id': info.id, 'data-status': r.status },
        el('td', {}, info.tableNumber),
        el('td', {}, name, el('div', { class: 'sub' }, info.binding)),
        el('td', { class: 'num value' }, valueText(r)),
        el('td', {}, r.target),
        el('td', {}, el('ul', { class: 'inputs' }, ...r.inputs.map((v) => el('li', {}, `${t('layer.' + v.layer)} v${v.versionId} · ${v.asOf}`)))),
        el('td', {}, el('span', { class: `status ${r.status}` }, t('status.' + r.status))),
        el('td', {}, csv));
    });
    panel.replaceChildren(
      el('h2', {}, t('dashboardTitle')),
      el('div', { class: 'row' }, el('label', { class: 'field' }, t('region'), regionPick), el('label', { class: 'field' }, t('year'), yearPick)),
      el('div', { class: 'table-wrap' }, el('table', { class: 'data', id: 'dash-table', 'aria-busy': String(loading) },
        el('thead', {}, el('tr', {}, ...['tableNo', 'indicator', 'value', 'target', 'inputs', 'verdictCol', 'csv'].map((k) => el('th', {}, t(k))))),
        el('tbody', {}, ...rows))));
  }

  /** The map beside the table shows the chosen unit (or the whole city). */
  function showRegion(units: AdminUnit[]): void {
    const chosen = units.filter((u) => !region || u.code === region);
    if (chosen.length === 0) return;
    fitTo([Math.min(...chosen.map((u) => u.bbox[0])), Math.min(...chosen.map((u) => u.bbox[1])),
      Math.max(...chosen.map((u) => u.bbox[2])), Math.max(...chosen.map((u) => u.bbox[3]))], 14);
  }

  let started = false;
  onLang(() => { void draw(); });
  panel.addEventListener('eco:show', () => {
    void adminUnits().then(showRegion).catch(() => undefined);
    if (started) return;
    started = true;
    void (async () => {
      catalogue = await getJson<IndicatorInfo[]>('/api/indicators');
      const all = await Promise.all((await layers()).map((l) => versions(l.id).catch(() => [])));
      years = [...new Set(all.flat().map((v) => v.asOf.slice(0, 4)))].sort().reverse();
      year = years[0] ?? '';
      // The county: the 6-digit code (GB/T 2260) the town codes share.
      const prefixes = new Set((await adminUnits().catch(() => [])).map((u) => u.code.slice(0, 6)));
      county = prefixes.size === 1 ? [...prefixes][0] : '';
      await load();
    })();
  });
}
