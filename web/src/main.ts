// The page: header (title, synthetic-data note, language), tabs, a side panel per view and the map.
import './style.css';
import { renderChanges } from './changes';
import { renderDashboard } from './dashboard';
import { renderEncroachments } from './encroachments';
import { el } from './api';
import { lang, onLang, setLang, t } from './i18n';
import { createMap, map, renderMapPanel, showOverlays } from './map';
import { renderScreening } from './screening';

const VIEWS: Array<{ id: string; label: string; overlays: string[]; render: (p: HTMLElement) => void; wide?: boolean }> = [
  { id: 'map', label: 'tabMap', overlays: [], render: renderMapPanel },
  { id: 'changes', label: 'tabChanges', overlays: ['changes'], render: renderChanges },
  { id: 'encroachments', label: 'tabEncroach', overlays: ['encroachments'], render: renderEncroachments },
  { id: 'screening', label: 'tabScreening', overlays: ['screening'], render: renderScreening },
  { id: 'dashboard', label: 'tabDashboard', overlays: [], render: renderDashboard, wide: true },
];

const tabs = document.getElementById('tabs')!;
const panel = document.getElementById('panel')!;
const panels = new Map<string, HTMLElement>();
let active = '';

function activate(id: string): void {
  const view = VIEWS.find((v) => v.id === id) ?? VIEWS[0];
  active = view.id;
  for (const [k, p] of panels) p.hidden = k !== view.id;
  tabs.querySelectorAll('button').forEach((b) => b.setAttribute('aria-selected', String(b.dataset.view === view.id)));
  document.body.dataset.view = view.id;
  document.body.classList.toggle('wide', !!view.wide);
  showOverlays(view.overlays);
  map.resize();
  panels.get(view.id)!.dispatchEvent(new Event('eco:show'));
  if (location.hash !== '#' + view.id) history.replaceState(null, '', '#' + view.id);
}

async function start(): Promise<void> {
  await createMap(document.getElementById('map')!);
  for (const view of VIEWS) {
    const p = el('section', { id: `view-${view.id}`, class: 'view', hidden: '' });
    panel.append(p);
    panels.set(view.id, p);
    view.render(p);
    const b = el('button', { type: 'button', role: 'tab', 'data-view': view.id });
    b.addEventListener('click', () => activate(view.id));
    tabs.append(b);
  }
  onLang(() => {
    document.querySelectorAll<HTMLElement>('[data-i18n]').forEach((e) => { e.textContent = t(e.dataset.i18n!); });
    tabs.querySelectorAll<HTMLButtonElement>('button').forEach((b) => { b.textContent = t(VIEWS.find((v) => v.id === b.dataset.view)!.label); });
    document.getElementById('lang')!.textContent = t('langButton');
    document.title = t('title');
  });
  document.getElementById('lang')!.addEventListener('click', () => setLang(lang() === 'zh' ? 'en' : 'zh'));
  window.addEventListener('hashchange', () => { if (location.hash.slice(1) !== active) activate(location.hash.slice(1)); });
  activate(location.hash.slice(1) || 'map');
  document.body.dataset.ready = 'true';
}

void start();
