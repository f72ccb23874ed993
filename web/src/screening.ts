// Site screening: draw a polygon with map clicks or drop a GeoJSON file; POST /api/screening; conflicts and verdict.
import type { Feature, FeatureCollection, Geometry, Polygon, Position } from 'geojson';
import type * as maplibregl from 'maplibre-gl';
import { bboxOf, el, postJson, type ScreeningResult } from './api';
import { areaText, num, onLang, t } from './i18n';
import { fitTo, map, overlay, setDrawing } from './map';

export function renderScreening(panel: HTMLElement): void {
  let vertices: Position[] = [];
  let site: Geometry | null = null;
  let drawing = false;
  let bufferM = 0;
  let result: ScreeningResult | undefined;
  let message = '';
  const source = () => overlay('screening', [
    { id: 'screening-fill', type: 'fill', filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': '#ffd600', 'fill-opacity': 0.35 } },
    { id: 'screening-line', type: 'line', paint: { 'line-color': '#212121', 'line-width': 2, 'line-dasharray': [2, 1] } },
    { id: 'screening-points', type: 'circle', filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': 4, 'circle-color': '#212121' } },
  ]);

  function show(): void {
    const features: Feature[] = [];
    if (site) features.push({ type: 'Feature', properties: {}, geometry: site });
    else if (vertices.length > 0) {
      features.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: vertices } });
      for (const v of vertices) features.push({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: v } });
    }
    void source().setData({ type: 'FeatureCollection', features });
  }

  const onMapClick = (e: maplibregl.MapMouseEvent) => {
    if (!drawing) return;
    vertices.push([e.lngLat.lng, e.lngLat.lat]);
    show();
  };
  const onMapDblClick = (e: maplibregl.MapMouseEvent) => {
    if (!drawing) return;
    e.preventDefault();
    void finish();
  };

  function startDrawing(): void {
    vertices = []; site = null; result = undefined; message = t('drawHint');
    drawing = true;
    setDrawing(true);
    map.doubleClickZoom.disable();
    show();
    draw();
  }

  async function finish(): Promise<void> {
    if (drawing) {
      drawing = false;
      setDrawing(false);
      setTimeout(() => map.doubleClickZoom.enable(), 300);
      // A double-click adds the same point twice; drop repeats.
      const ring = vertices.filter((v, i) => i === 0 || v[0] !== vertices[i - 1][0] || v[1] !== vertices[i - 1][1]);
      if (ring.length < 3) { message = t('drawHint'); draw(); return; }
      site = { type: 'Polygon', coordinates: [[...ring, ring[0]]] } as Polygon;
    }
    await screen();
  }

  async function screen(): Promise<void> {
    if (!site) return;
    show();
    message = t('loading');
    result = undefined;
    draw();
    try {
      result = await postJson<ScreeningResult>('/api/screening', { geometry: site, bufferM });
      message = '';
    } catch (e) {
      message = `${t('error')}: ${(e as Error).message}`;
    }
    draw();
  }

  async function readFile(file: File): Promise<void> {
    try {
      const json = JSON.parse(await file.text()) as FeatureCollection | Feature | Geometry;
      site = siteOf(json);
      vertices = [];
      fitTo(bboxOf(site), 16);
      await screen();
    } catch (e) {
      message = `${t('badFile')}: ${(e as Error).message}`;
      draw();
    }
  }

  function draw(): void {
    const drawButton = el('button', { type: 'button', id: 'screen-draw' }, t('draw'));
    drawButton.addEventListener('click', startDrawing);
    const finishButton = el('button', { type: 'button', id: 'screen-finish' }, t('finish'));
    finishButton.addEventListener('click', () => { void finish(); });
    const clearButton = el('button', { type: 'button', id: 'screen-clear' }, t('clear'));
    clearButton.addEventListener('click', () => {
      drawing = false; setDrawing(false); vertices = []; site = null; result = undefined; message = ''; show(); draw();
    });
    const buffer = el('input', { type: 'number', id: 'screen-buffer', min: '0', max: '50000', step: '10', value: String(bufferM) });
    buffer.addEventListener('change', () => { bufferM = Math.max(0, Number(buffer.value) || 0); });
    const file = el('input', { type: 'file', id: 'screen-file', accept: '.geojson,.json,application/geo+json,application/json' });
    file.addEventListener('change', () => { if (file.files?.[0]) void readFile(file.files[0]); });
    const drop = el('div', { class: 'drop', id: 'screen-drop' }, t('dropHint'), file);
    drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
    drop.addEventListener('dragleave', () => drop.classList.remove('over'));
    drop.addEventListener('drop', (e) => {
      e.preventDefault();
      drop.classList.remove('over');
      const f = e.dataTransfer?.files[0];
      if (f) void readFile(f);
    });
    const out: Node[] = [];
    if (result) {
      out.push(el('div', { class: `verdict ${result.verdict}`, id: 'screen-verdict', 'data-verdict': result.verdict },
        `${t('verdict')}: ${t('verdict.' + result.verdict)}`));
      out.push(el('p', {}, `${t('siteArea')}: ${areaText(result.siteAreaM2)}`));
      out.push(result.findings.length === 0 ? el('p', { class: 'hint' }, t('noConflict')) : el('div', { class: 'table-wrap' },
        el('table', { class: 'data', id: 'screen-findings' },
          el('thead', {}, el('tr', {}, el('th', {}, t('layer')), el('th', {}, t('field.name')), el('th', {}, t('overlap')), el('th', {}, t('rule')), el('th', {}, t('reason')))),
          el('tbody', {}, ...result.findings.map((f) => el('tr', { 'data-layer': f.hit.layer },
            el('td', {}, t('layer.' + f.hit.layer)),
            el('td', {}, [f.hit.name, f.hit.zone].filter(Boolean).join(' · ')),
            el('td', { class: 'num' }, `${num(f.hit.overlapM2, 1)} m²`),
            el('td', { class: f.rule }, t('verdict.' + f.rule)),
            el('td', {}, f.reason)))))));
    }
    panel.replaceChildren(
      el('h2', {}, t('screeningTitle')),
      el('div', { class: 'buttons' }, drawButton, finishButton, clearButton),
      el('label', { class: 'field' }, t('bufferM'), buffer),
      drop,
      el('p', { class: message.startsWith(t('error')) || message.startsWith(t('badFile')) ? 'error' : 'hint', id: 'screen-message' }, message),
      ...out);
  }

  let started = false;
  onLang(draw);
  panel.addEventListener('eco:show', () => {
    if (started) return;
    started = true;
    map.on('click', onMapClick);
    map.on('dblclick', onMapDblClick);
  });
}

/** The site of a GeoJSON document: its polygons as one (Multi)Polygon, else its first geometry (screened with the buffer). */
export function siteOf(json: FeatureCollection | Feature | Geometry): Geometry {
  const geometries: Geometry[] = json.type === 'FeatureCollection' ? json.features.map((f) => f.geometry).filter((g): g is Geometry => !!g)
    : json.type === 'Feature' ? (json.geometry ? [json.geometry] : []) : [json];
  if (geometries.length === 0) throw new Error('no geometry');
  const polygons = geometries.flatMap((g) => g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : []);
  if (polygons.length === 1) return { type: 'Polygon', coordinates: polygons[0] };
  if (polygons.length > 1) return { type: 'MultiPolygon', coordinates: polygons };
  return geometries[0];
}
