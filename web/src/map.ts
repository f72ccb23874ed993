// The map: five layers from the service's vector tiles, legend, toggles, a version picker per layer,
// zoom to an admin unit, and a click popup with the attributes and the ellipsoidal area.
import * as maplibregl from 'maplibre-gl';
import type { ExpressionSpecification, LayerSpecification, MapGeoJSONFeature, VectorTileSource } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { absolute, adminUnits, el, getJson, versions, type Version } from './api';
import { areaText, num, onLang, t } from './i18n';

maplibregl.setWorkerUrl(workerUrl);

export const RED = '#e31a1c';
const WETLAND = ['0303', '0304', '0306', '0402', '0603', '1105', '1106', '1108'];
/** First-level 三调 classes (by the first two digits of DLBM; 湿地 by its codes) and their colours. */
export const LANDUSE_CLASSES: Array<[string, string]> = [
  ['00', '#5fc0b0'], ['01', '#f2e27a'], ['02', '#d7b95c'], ['03', '#3f8f3f'], ['04', '#a6d96a'], ['05', '#e6808a'],
  ['06', '#b07aa1'], ['07', '#d4554a'], ['08', '#f09a6a'], ['09', '#9c6b5a'], ['10', '#9a9a9a'], ['11', '#7fb3e0'], ['12', '#d9d2c3'],
];
const classCode: ExpressionSpecification = ['to-string', ['coalesce', ['get', 'class_code'], '']];
const landuseColour: ExpressionSpecification = ['case', ['in', classCode, ['literal', WETLAND]], LANDUSE_CLASSES[0][1],
  ['match', ['slice', classCode, 0, 2], ...LANDUSE_CLASSES.slice(1).flat(), '#cccccc']] as unknown as ExpressionSpecification;

/** A layer specification without its source (distributes over the union of layer types). */
export type WithoutSource<T> = T extends unknown ? Omit<T, 'source' | 'source-layer'> : never;

interface LayerDef {
  id: string;
  /** Style layers without source; the first fill is the one clicks read. */
  style: Array<WithoutSource<LayerSpecification> & { type: 'fill' | 'line' }>;
  legend: () => Array<[string, string, 'fill' | 'line']>;
}

export const LAYERS: LayerDef[] = [
  { id: 'landuse', style: [{ id: 'landuse-fill', type: 'fill', paint: { 'fill-color': landuseColour, 'fill-opacity': 0.55 } }],
    legend: () => LANDUSE_CLASSES.map(([code, colour]) => [colour, `${code === '00' ? '' : code + ' '}${t('lu.' + code)}`, 'fill']) },
  { id: 'water-source-zones', style: [
    { id: 'water-source-zones-fill', type: 'fill', paint: {
      'fill-color': ['match', ['get', 'level'], '一级', '#1565c0', '二级', '#64b5f6', '#bbdefb'], 'fill-opacity': 0.6 } },
    { id: 'water-source-zones-line', type: 'line', paint: { 'line-color': '#0d47a1', 'line-width': 1 } }],
    legend: () => [['#1565c0', t('legend.level1'), 'fill'], ['#64b5f6', t('legend.level2'), 'fill'], ['#bbdefb', t('legend.quasi'), 'fill']] },
  { id: 'reserves', style: [
    { id: 'reserves-fill', type: 'fill', paint: {
      'fill-color': ['match', ['get', 'zone'], '核心保护区', '#6a1b9a', '#c39bd3'], 'fill-opacity': 0.55 } },
    { id: 'reserves-line', type: 'line', paint: { 'line-color': '#4a148c', 'line-width': 1.2 } }],
    legend: () => [['#6a1b9a', t('legend.core'), 'fill'], ['#c39bd3', t('legend.general'), 'fill']] },
  { id: 'redlines', style: [
    { id: 'redlines-fill', type: 'fill', paint: { 'fill-color': RED, 'fill-opacity': 0.18 } },
    { id: 'redlines-line', type: 'line', paint: { 'line-color': RED, 'line-width': 2.5 } }],
    legend: () => [[RED, t('legend.redline'), 'line']] },
  { id: 'admin-units', style: [
    { id: 'admin-units-fill', type: 'fill', paint: { 'fill-color': '#000000', 'fill-opacity': 0 } },
    { id: 'admin-units-line', type: 'line', paint: { 'line-color': '#333333', 'line-width': 1.4, 'line-dasharray': [3, 2] } }],
    legend: () => [['#333333', t('legend.admin'), 'line']] },
];

/** Click priority: the first layer in this list that has a feature under the cursor answers. */
const CLICK_ORDER = ['redlines-fill', 'water-source-zones-fill', 'reserves-fill', 'landuse-fill', 'admin-units-fill'];

export let map: maplibregl.Map;
const selected = new Map<string, number>();
const visible = new Map<string, boolean>(LAYERS.map((l) => [l.id, true]));

export function tileJsonUrl(layer: string, version?: number): string {
  return absolute(`/tiles/${layer}.json` + (version ? `?version=${version}` : ''));
}

export function createMap(container: HTMLElement): Promise<void> {
  map = new maplibregl.Map({
    container,
    style: { version: 8, sources: {}, layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#f4f2ec' } }] },
    center: [113.7, 30.65], zoom: 9.3, maxZoom: 18, attributionControl: { compact: true }, dragRotate: false,
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');
  (window as unknown as { ecoMap: maplibregl.Map }).ecoMap = map; // for the browser tests and the console
  return new Promise((resolve) => map.on('load', () => {
    void addLayers().then(resolve);
  }));
}

async function addLayers(): Promise<void> {
  const all = await Promise.all(LAYERS.map((l) => versions(l.id).catch(() => [] as Version[])));
  // Admin-unit fill goes under everything (it only catches clicks); the rest in list order.
  for (const [i, def] of LAYERS.entries()) {
    const current = all[i].at(-1);
    if (current) selected.set(def.id, current.id);
    map.addSource(def.id, { type: 'vector', url: tileJsonUrl(def.id, current?.id) });
    for (const layer of def.style) {
      const spec = { ...layer, source: def.id, 'source-layer': def.id } as LayerSpecification;
      map.addLayer(spec, layer.id === 'admin-units-fill' ? 'landuse-fill' : undefined);
    }
  }
  const bounds = await getJson<{ bounds?: [number, number, number, number] }>(tileJsonUrl('admin-units', selected.get('admin-units'))).catch(() => ({ bounds: undefined }));
  if (bounds.bounds) map.fitBounds(bounds.bounds, { padding: 20, animate: false });
  map.on('click', onClick);
  // The attribution lists every layer version; keep it folded behind its button (MapLibre opens it at first).
  map.once('idle', () => {
    const attribution = document.querySelector('.maplibregl-ctrl-attrib');
    attribution?.classList.remove('maplibregl-compact-show');
    attribution?.removeAttribute('open');
  });
  for (const id of CLICK_ORDER) {
    map.on('mouseenter', id, () => { if (!drawing) map.getCanvas().style.cursor = 'pointer'; });
    map.on('mouseleave', id, () => { if (!drawing) map.getCanvas().style.cursor = ''; });
  }
}

/** Set by the screening view while it takes clicks for vertices. */
let drawing = false;
export function setDrawing(on: boolean): void {
  drawing = on;
  map.getCanvas().style.cursor = on ? 'crosshair' : '';
}

export function setLayerVisible(layer: string, on: boolean): void {
  visible.set(layer, on);
  for (const s of LAYERS.find((l) => l.id === layer)?.style ?? []) map.setLayoutProperty(s.id, 'visibility', on ? 'visible' : 'none');
}

export function setLayerVersion(layer: string, version: number): void {
  selected.set(layer, version);
  (map.getSource(layer) as VectorTileSource).setUrl(tileJsonUrl(layer, version));
}

let popup: maplibregl.Popup | undefined;

/** The label of an attribute: translated when known, else its own name. */
function fieldLabel(name: string): string {
  const label = t('field.' + name);
  return label === 'field.' + name ? name : label;
}

async function onClick(e: maplibregl.MapMouseEvent): Promise<void> {
  if (drawing) return;
  const layers = CLICK_ORDER.filter((id) => map.getLayer(id) && map.getLayoutProperty(id, 'visibility') !== 'none');
  const hits = map.queryRenderedFeatures(e.point, { layers });
  const hit = CLICK_ORDER.map((id) => hits.find((h) => h.layer.id === id)).find((h: MapGeoJSONFeature | undefined): h is MapGeoJSONFeature => !!h);
  popup?.remove();
  if (!hit) return;
  const layer = hit.source;
  let properties = { ...hit.properties } as Record<string, unknown>;
  // The tile's attributes are what the click found; the feature itself has them unsimplified and complete.
  if (hit.id !== undefined) {
    try {
      const f = await getJson<{ properties: Record<string, unknown> }>(`/ogc/collections/${layer}/items/${hit.id}?f=json`);
      properties = { ...properties, ...f.properties };
    } catch {
      /* the tile's attributes will do */
    }
  }
  const rows = Object.entries(properties).filter(([k, v]) => k !== 'area_m2' && v !== null && v !== '')
    .map(([k, v]) => el('tr', {}, el('th', {}, fieldLabel(k)), el('td', {}, typeof v === 'number' ? num(v, 2) : String(v))));
  const area = Number(properties.area_m2);
  const body = el('div', { class: 'feature-popup', 'data-layer': layer },
    el('h3', {}, t('layer.' + layer)),
    el('table', {}, ...rows,
      el('tr', {}, el('th', {}, t('featureId')), el('td', {}, String(hit.id ?? ''))),
      el('tr', { class: 'area' }, el('th', {}, t('areaEllipsoidal')), el('td', {}, Number.isFinite(area) ? areaText(area) : '–'))));
  popup = new maplibregl.Popup({ maxWidth: '360px' }).setLngLat(e.lngLat).setDOMContent(body).addTo(map);
}

/** The "map" tab: layer list with toggles, legend and version pickers; zoom to an admin unit. */
export function renderMapPanel(panel: HTMLElement): void {
  onLang(() => { void draw(); });
  async function draw(): Promise<void> {
    const list = el('div', { class: 'layer-list' });
    for (const def of [...LAYERS].reverse()) {
      const box = el('input', { type: 'checkbox', id: `toggle-${def.id}`, 'data-layer': def.id });
      box.checked = visible.get(def.id) ?? true;
      box.addEventListener('change', () => setLayerVisible(def.id, box.checked));
      const picker = el('select', { id: `version-${def.id}`, 'aria-label': t('version') });
      for (const v of await versions(def.id).catch(() => [] as Version[])) {
        const option = el('option', { value: String(v.id) }, `${v.asOf} · ${v.label}`);
        option.selected = selected.get(def.id) === v.id;
        picker.append(option);
      }
      picker.addEventListener('change', () => setLayerVersion(def.id, Number(picker.value)));
      const legend = el('ul', { class: 'legend' }, ...def.legend().map(([colour, label, kind]) =>
        el('li', {}, el('span', { class: `swatch ${kind}`, style: `--c:${colour}` }), label)));
      list.append(el('section', { class: 'layer' },
        el('label', { class: 'layer-title' }, box, t('layer.' + def.id)), picker, legend));
    }
    const zoom = el('select', { id: 'zoom-admin' }, el('option', { value: '' }, t('wholeCity')));
    const units = await adminUnits().catch(() => []);
    for (const u of units) zoom.append(el('option', { value: u.code }, `${u.name} (${u.code})`));
    zoom.addEventListener('change', () => {
      const u = units.find((x) => x.code === zoom.value);
      const box = u?.bbox ?? (units.length ? [Math.min(...units.map((x) => x.bbox[0])), Math.min(...units.map((x) => x.bbox[1])),
        Math.max(...units.map((x) => x.bbox[2])), Math.max(...units.map((x) => x.bbox[3]))] : null);
      if (box) map.fitBounds(box as [number, number, number, number], { padding: 30, duration: 600 });
    });
    panel.replaceChildren(
      el('h2', {}, t('layers')),
      el('label', { class: 'field' }, t('zoomTo'), zoom),
      list,
      el('p', { class: 'hint' }, t('clickHint')));
  }
}

const overlays = new Map<string, string[]>();
const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

/** A GeoJSON overlay (made on first use) drawn above the tiled layers; returns its source. */
export function overlay(id: string, layers: Array<WithoutSource<LayerSpecification>>): maplibregl.GeoJSONSource {
  if (!map.getSource(id)) {
    map.addSource(id, { type: 'geojson', data: EMPTY });
    for (const l of layers) map.addLayer({ ...l, source: id } as LayerSpecification);
    overlays.set(id, layers.map((l) => l.id));
  }
  return map.getSource(id) as maplibregl.GeoJSONSource;
}

/** Shows the overlays of the active view only. */
export function showOverlays(ids: string[]): void {
  for (const [id, layerIds] of overlays) {
    for (const l of layerIds) map.setLayoutProperty(l, 'visibility', ids.includes(id) ? 'visible' : 'none');
  }
}

export function fitTo(box: [number, number, number, number] | null, maxZoom = 15): void {
  if (box) map.fitBounds(box, { padding: 40, maxZoom, duration: 600 });
}
