// Change view: two versions of the red lines (or protected areas); lost areas red, gained green, with totals.
import type { FeatureCollection } from 'geojson';
import { bboxOfAll, el, getJson, versions } from './api';
import { areaText, num, onLang, t } from './i18n';
import { fitTo, overlay } from './map';

export const LOST = '#d7191c';
export const GAINED = '#1a9641';

export function renderChanges(panel: HTMLElement): void {
  let layer = 'redlines';
  let from: number | undefined;
  let to: number | undefined;
  let result: FeatureCollection | undefined;
  let error = '';
  const source = () => overlay('changes', [
    { id: 'changes-fill', type: 'fill', paint: { 'fill-color': ['match', ['get', 'change'], 'lost', LOST, GAINED], 'fill-opacity': 0.75 } },
    { id: 'changes-line', type: 'line', paint: { 'line-color': ['match', ['get', 'change'], 'lost', LOST, GAINED], 'line-width': 2 } },
  ]);

  async function compare(): Promise<void> {
    if (from === undefined || to === undefined) return;
    error = '';
    try {
      result = await getJson<FeatureCollection>(`/api/changes/${layer}?from=${from}&to=${to}`);
      await source().setData(result);
      fitTo(bboxOfAll(result.features), 14);
    } catch (e) {
      result = undefined;
      error = (e as Error).message;
      await source().setData({ type: 'FeatureCollection', features: [] });
    }
    await draw();
  }

  async function draw(): Promise<void> {
    const list = await versions(layer).catch(() => []);
    if (from === undefined || !list.some((v) => v.id === from)) from = list[0]?.id;
    if (to === undefined || !list.some((v) => v.id === to)) to = list.at(-1)?.id;
    const pick = (id: string, value: number | undefined, set: (v: number) => void) => {
      const s = el('select', { id }, ...list.map((v) => {
        const o = el('option', { value: String(v.id) }, `${v.asOf} · ${v.label}`);
        o.selected = v.id === value;
        return o;
      }));
      s.addEventListener('change', () => { set(Number(s.value)); void compare(); });
      return s;
    };
    const layerPick = el('select', { id: 'change-layer' }, ...['redlines', 'reserves'].map((l) => {
      const o = el('option', { value: l }, t('layer.' + l));
      o.selected = l === layer;
      return o;
    }));
    layerPick.addEventListener('change', () => { layer = layerPick.value; from = to = undefined; result = undefined; void draw().then(compare); });
    const sum = (kind: string) => (result?.features ?? []).filter((f) => f.properties?.change === kind)
      .reduce((a, f) => a + Number(f.properties?.areaM2 ?? 0), 0);
    const count = (kind: string) => (result?.features ?? []).filter((f) => f.properties?.change === kind).length;
    const totals = result ? el('table', { class: 'totals', id: 'change-totals' },
      el('tr', { class: 'lost' }, el('th', {}, el('span', { class: 'swatch fill', style: `--c:${LOST}` }), t('lost')),
        el('td', { 'data-m2': String(sum('lost')) }, areaText(sum('lost'))), el('td', {}, `${num(count('lost'))} ${t('pieces')}`)),
      el('tr', { class: 'gained' }, el('th', {}, el('span', { class: 'swatch fill', style: `--c:${GAINED}` }), t('gained')),
        el('td', { 'data-m2': String(sum('gained')) }, areaText(sum('gained'))), el('td', {}, `${num(count('gained'))} ${t('pieces')}`)),
      el('tr', { class: 'net' }, el('th', {}, t('net')), el('td', {}, (sum('gained') - sum('lost') < 0 ? '−' : '+') + areaText(Math.abs(sum('gained') - sum('lost')))), el('td', {})))
      : el('p', { class: error ? 'error' : 'hint' }, error || t('loading'));
    panel.replaceChildren(
      el('h2', {}, t('changesTitle')),
      el('label', { class: 'field' }, t('changeLayer'), layerPick),
      el('label', { class: 'field' }, t('fromVersion'), pick('change-from', from, (v) => { from = v; })),
      el('label', { class: 'field' }, t('toVersion'), pick('change-to', to, (v) => { to = v; })),
      totals);
  }

  let started = false;
  onLang(() => { void draw(); });
  panel.addEventListener('eco:show', () => {
    if (!started) { started = true; void draw().then(compare); } else if (result) fitTo(bboxOfAll(result.features), 14);
  });
}
