// Encroachment view: construction-land pieces inside protected zones, sortable; a row click zooms to its piece.
import type { Feature, FeatureCollection } from 'geojson';
import { bboxOf, el, getJson, versions } from './api';
import { num, onLang, t } from './i18n';
import { fitTo, map, overlay } from './map';

type SortKey = 'parcelCode' | 'zone' | 'classCode' | 'overlapM2' | 'isNew';

export function renderEncroachments(panel: HTMLElement): void {
  let asOf: string | undefined;
  let since: string | undefined;
  let zone = '';
  let rows: Feature[] = [];
  let sort: { key: SortKey; desc: boolean } = { key: 'overlapM2', desc: true };
  let selected = -1;
  let status = '';
  const source = () => overlay('encroachments', [
    { id: 'encroachments-fill', type: 'fill', paint: { 'fill-color': ['case', ['get', 'isNew'], '#ff6d00', '#8d6e63'], 'fill-opacity': 0.85 } },
    { id: 'encroachments-line', type: 'line', paint: { 'line-color': '#4e342e', 'line-width': 1 } },
    { id: 'encroachments-selected', type: 'line', filter: ['==', ['get', '_row'], -1], paint: { 'line-color': '#00e5ff', 'line-width': 4 } },
  ]);

  const value = (f: Feature, key: SortKey): string | number => {
    const p = f.properties ?? {};
    if (key === 'zone') return `${p.zoneKind} ${p.zoneName ?? ''}`;
    if (key === 'isNew') return p.isNew ? 1 : 0;
    if (key === 'overlapM2') return Number(p.overlapM2);
    return String(p[key] ?? '');
  };

  async function load(): Promise<void> {
    status = t('loading');
    rows = [];
    draw();
    const q = new URLSearchParams();
    if (asOf) q.set('asOf', asOf);
    if (since) q.set('since', since);
    if (zone) q.set('zone', zone);
    try {
      const fc = await getJson<FeatureCollection>(`/api/encroachments?${q}`);
      rows = fc.features.map((f, i) => ({ ...f, properties: { ...f.properties, _row: i } }));
      status = '';
      await source().setData({ type: 'FeatureCollection', features: rows });
    } catch (e) {
      status = `${t('error')}: ${(e as Error).message}`;
    }
    draw();
  }

  function zoomTo(f: Feature): void {
    selected = Number(f.properties?._row);
    map.setFilter('encroachments-selected', ['==', ['get', '_row'], selected]);
    fitTo(bboxOf(f.geometry), 16);
    panel.querySelectorAll('tr.selected').forEach((r) => r.classList.remove('selected'));
    panel.querySelector(`tr[data-row="${selected}"]`)?.classList.add('selected');
  }

  function draw(): void {
    const sorted = [...rows].sort((a, b) => {
      const x = value(a, sort.key); const y = value(b, sort.key);
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'zh');
      return sort.desc ? -c : c;
    });
    const header = (key: SortKey, label: string) => {
      const th = el('th', { 'data-sort': key, class: sort.key === key ? (sort.desc ? 'sorted desc' : 'sorted asc') : '' }, label);
      th.addEventListener('click', () => { sort = { key, desc: sort.key === key ? !sort.desc : key === 'overlapM2' }; draw(); });
      return th;
    };
    const body = el('tbody', {}, ...sorted.map((f) => {
      const p = f.properties ?? {};
      const tr = el('tr', { 'data-row': String(p._row), class: p._row === selected ? 'selected' : '' },
        el('td', {}, String(p.parcelCode ?? '')),
        el('td', {}, `${t('zone.' + p.zoneKind)}${p.zoneName ? ' · ' + p.zoneName : ''}`),
        el('td', {}, String(p.classCode ?? '')),
        el('td', { class: 'num', 'data-m2': String(p.overlapM2) }, `${num(Number(p.overlapM2), 1)} m²`),
        el('td', { class: p.isNew ? 'new' : 'legacy' }, p.isNew ? t('isNew') : t('legacy')));
      tr.addEventListener('click', () => zoomTo(f));
      return tr;
    }));
    const landuse = cachedLanduse;
    const select = (id: string, current: string | undefined, options: Array<[string, string]>, set: (v: string) => void) => {
      const s = el('select', { id }, ...options.map(([v, label]) => { const o = el('option', { value: v }, label); o.selected = v === current; return o; }));
      s.addEventListener('change', () => { set(s.value); void load(); });
      return s;
    };
    const total = rows.reduce((a, f) => a + Number(f.properties?.overlapM2 ?? 0), 0);
    panel.replaceChildren(
      el('h2', {}, t('encroachTitle')),
      el('label', { class: 'field' }, t('landuseAsOf'), select('enc-asof', asOf, landuse.map((v) => [v, v]), (v) => { asOf = v; })),
      el('label', { class: 'field' }, t('since'), select('enc-since', since, landuse.map((v) => [v, v]), (v) => { since = v; })),
      el('label', { class: 'field' }, t('zoneFilter'), select('enc-zone', zone,
        [['', t('all')], ...['redline', 'reserve-core', 'water-level1', 'water-level2'].map((z): [string, string] => [z, t('zone.' + z)])], (v) => { zone = v; })),
      el('p', { class: status ? 'hint' : 'summary', id: 'enc-summary' }, status || `${num(rows.length)} ${t('rows')} · ${num(total, 1)} m² · ${t('clickRowHint')}`),
      el('div', { class: 'table-wrap' }, el('table', { class: 'data', id: 'enc-table' },
        el('thead', {}, el('tr', {}, header('parcelCode', t('parcel')), header('zone', t('zone')), header('classCode', t('classCode')),
          header('overlapM2', t('overlap')), header('isNew', t('status')))), body)));
  }

  let cachedLanduse: string[] = [];
  let started = false;
  onLang(draw);
  panel.addEventListener('eco:show', () => {
    if (started) return;
    started = true;
    void versions('landuse').then((v) => {
      cachedLanduse = [...new Set(v.map((x) => x.asOf))];
      asOf = cachedLanduse.at(-1);
      since = cachedLanduse[0];
      return load();
    });
  });
}
