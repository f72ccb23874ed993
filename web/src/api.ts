// The service's HTTP API, typed as far as the page reads it.
import type { Feature, FeatureCollection, Geometry } from 'geojson';

export interface Version { id: number; layer: string; label: string; asOf: string; featureCount: number; areaM2: number; approvalRef: string | null }
export interface LayerInfo { id: string; title: string; description: string; versionCount: number; current: Version | null }
export interface InputVersion { layer: string; versionId: number; label: string; asOf: string; approvalRef: string | null }
export interface IndicatorInfo { id: string; nameZh: string; nameEn: string; unit: string; tableNumber: string; binding: string; targetRule: string }
export interface IndicatorValue {
  id: string; name: string; value: number | null; unit: string; target: string; status: string; region: string | null;
  inputs: InputVersion[]; method: string; breakdown: unknown[]; details: unknown;
}
export interface ScreeningFinding { hit: { layer: string; featureId: number; name: string | null; zone: string | null; overlapM2: number }; rule: string; reason: string }
export interface ScreeningResult { siteAreaM2: number; verdict: string; findings: ScreeningFinding[]; inputs: InputVersion[] }
export interface AdminUnit { code: string; name: string; bbox: [number, number, number, number] }

export class ApiError extends Error {}

async function read<T>(response: Response): Promise<T> {
  if (!response.ok) {
    let detail = `${response.status} ${response.statusText}`;
    try {
      const problem = await response.json() as { title?: string; detail?: string };
      detail = problem.detail ?? problem.title ?? detail;
    } catch {
      /* not JSON */
    }
    throw new ApiError(detail);
  }
  return await response.json() as T;
}

export async function getJson<T>(path: string): Promise<T> {
  return read<T>(await fetch(path, { headers: { Accept: 'application/json, application/geo+json' } }));
}

export async function postJson<T>(path: string, body: unknown): Promise<T> {
  return read<T>(await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body) }));
}

/** An absolute URL on this origin (map sources are read in web workers, which need them absolute). */
export const absolute = (path: string): string => new URL(path, location.href).href;

let layersPromise: Promise<LayerInfo[]> | undefined;
export const layers = (): Promise<LayerInfo[]> => (layersPromise ??= getJson<LayerInfo[]>('/api/layers'));

const versionPromises = new Map<string, Promise<Version[]>>();
/** The versions of a layer, oldest first. */
export function versions(layer: string): Promise<Version[]> {
  let p = versionPromises.get(layer);
  if (!p) {
    p = getJson<Version[] | { versions: Version[] }>(`/api/layers/${layer}/versions`)
      .then((v) => (Array.isArray(v) ? v : v.versions))
      .then((v) => [...v].sort((a, b) => a.asOf.localeCompare(b.asOf) || a.id - b.id));
    versionPromises.set(layer, p);
  }
  return p;
}

export function bboxOf(geometry: Geometry | null): [number, number, number, number] {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [x, y] = c as number[];
      box[0] = Math.min(box[0], x); box[1] = Math.min(box[1], y); box[2] = Math.max(box[2], x); box[3] = Math.max(box[3], y);
    } else if (Array.isArray(c)) {
      c.forEach(visit);
    }
  };
  if (geometry?.type === 'GeometryCollection') geometry.geometries.forEach((g) => { const b = bboxOf(g); visit([b[0], b[1]]); visit([b[2], b[3]]); });
  else if (geometry) visit(geometry.coordinates);
  return box;
}

export function bboxOfAll(features: Feature[]): [number, number, number, number] | null {
  const boxes = features.map((f) => bboxOf(f.geometry)).filter((b) => Number.isFinite(b[0]));
  if (boxes.length === 0) return null;
  return [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))];
}

let adminPromise: Promise<AdminUnit[]> | undefined;
/** The admin units of the current version, by code. */
export const adminUnits = (): Promise<AdminUnit[]> => (adminPromise ??= getJson<FeatureCollection>('/ogc/collections/admin-units/items?limit=10000&f=json')
  .then((fc) => fc.features.map((f) => ({
    code: String(f.properties?.code ?? ''), name: String(f.properties?.name ?? ''), bbox: bboxOf(f.geometry),
  })).sort((a, b) => a.code.localeCompare(b.code))));

/** Small DOM helper: an element with attributes and children. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
}
