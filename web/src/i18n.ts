// Chinese by default, English by a toggle; every visible string goes through t().
export type Lang = 'zh' | 'en';

const zh = {
  title: 'EcoSpatial 生态保护空间指标',
  demoNote: '演示数据为合成数据：虚构的县级市叠加在汉川市真实轮廓上，仅县界与汉江为真实，并非官方界线。',
  langButton: 'English',
  tabMap: '地图', tabChanges: '变化', tabEncroach: '侵占', tabScreening: '选址', tabDashboard: '指标',
  layers: '图层', version: '版本', zoomTo: '定位到行政区', wholeCity: '全市', loading: '加载中…', error: '出错',
  clickHint: '点击地图要素查看属性与椭球面积。',
  'layer.redlines': '生态保护红线', 'layer.reserves': '自然保护地', 'layer.water-source-zones': '饮用水水源保护区',
  'layer.landuse': '土地利用', 'layer.admin-units': '行政区界线',
  'legend.core': '核心保护区', 'legend.general': '一般控制区', 'legend.level1': '一级保护区', 'legend.level2': '二级保护区',
  'legend.quasi': '准保护区', 'legend.redline': '红线范围', 'legend.admin': '乡镇界线',
  'lu.00': '湿地', 'lu.01': '耕地', 'lu.02': '园地', 'lu.03': '林地', 'lu.04': '草地', 'lu.05': '商业服务业用地',
  'lu.06': '工矿用地', 'lu.07': '住宅用地', 'lu.08': '公共管理与公共服务用地', 'lu.09': '特殊用地', 'lu.10': '交通运输用地',
  'lu.11': '水域及水利设施用地', 'lu.12': '其他土地',
  area: '面积', areaEllipsoidal: '椭球面积（CGCS2000）', featureId: '要素编号',
  'field.code': '编号', 'field.name': '名称', 'field.function': '主导功能', 'field.category': '类型', 'field.zone': '功能分区',
  'field.level': '级别', 'field.source_name': '水源地名称', 'field.source_type': '水源类型', 'field.parcel_code': '图斑标识码',
  'field.class_code': '地类编码', 'field.class_name': '地类名称', 'field.admin_code': '坐落单位代码',
  'field.official_area_m2': '图斑面积（m²，TBMJ）', 'field.terrain': '地形类别',
  changesTitle: '红线 / 保护地变化', changeLayer: '图层', fromVersion: '原版本', toVersion: '新版本', compare: '比较',
  lost: '减少', gained: '增加', net: '净变化', pieces: '块',
  encroachTitle: '建设用地侵占保护区', landuseAsOf: '土地利用版本', since: '基期', zoneFilter: '保护区类型', all: '全部',
  'zone.redline': '生态保护红线', 'zone.reserve-core': '保护地核心区', 'zone.water-level1': '水源一级区', 'zone.water-level2': '水源二级区',
  parcel: '图斑', zone: '保护区', classCode: '地类', overlap: '侵占面积', status: '新增/原有', isNew: '新增', legacy: '原有',
  rows: '条', noRows: '无', clickRowHint: '点击表头排序，点击行定位。',
  screeningTitle: '选址预审', draw: '绘制多边形', finish: '完成并预审', clear: '清除', bufferM: '缓冲距离（米）',
  dropHint: '或把 GeoJSON 文件拖放到此处 / 选择文件：', drawHint: '在地图上单击添加顶点，双击或点“完成并预审”结束。',
  siteArea: '用地面积', verdict: '结论', 'verdict.clear': '未涉及保护区', 'verdict.restricted': '限制', 'verdict.prohibited': '禁止',
  findings: '冲突', layer: '图层', rule: '规则', reason: '说明', noConflict: '未发现冲突。', badFile: '无法读取该 GeoJSON 文件',
  dashboardTitle: '示范区建设指标', region: '行政区', year: '年份', indicator: '指标', value: '数值', target: '目标',
  inputs: '数据版本', csv: 'CSV', tableNo: '序号', needsRegion: '请选择行政区', verdictCol: '达标情况',
  'status.pass': '达标', 'status.fail': '未达标', 'status.not-applicable': '不适用', 'status.no-data': '无数据', 'status.error': '出错',
};

type Key = keyof typeof zh;

const en: Record<Key, string> = {
  title: 'EcoSpatial · ecological protection indicators',
  demoNote: 'Demo data are synthetic: an invented county-level city laid on the real outline of Hanchuan; only the county outline and the Han River are real. Not official boundaries.',
  langButton: '中文',
  tabMap: 'Map', tabChanges: 'Changes', tabEncroach: 'Encroachment', tabScreening: 'Site screening', tabDashboard: 'Indicators',
  layers: 'Layers', version: 'Version', zoomTo: 'Zoom to admin unit', wholeCity: 'Whole city', loading: 'Loading…', error: 'Error',
  clickHint: 'Click a map feature for its attributes and ellipsoidal area.',
  'layer.redlines': 'Ecological red lines', 'layer.reserves': 'Protected areas', 'layer.water-source-zones': 'Drinking-water source zones',
  'layer.landuse': 'Land use', 'layer.admin-units': 'Admin boundaries',
  'legend.core': 'Core zone', 'legend.general': 'General control zone', 'legend.level1': 'Level-1 zone', 'legend.level2': 'Level-2 zone',
  'legend.quasi': 'Quasi zone', 'legend.redline': 'Red-line area', 'legend.admin': 'Town boundary',
  'lu.00': 'Wetland', 'lu.01': 'Cropland', 'lu.02': 'Orchard', 'lu.03': 'Forest', 'lu.04': 'Grassland', 'lu.05': 'Commercial',
  'lu.06': 'Industrial and mining', 'lu.07': 'Residential', 'lu.08': 'Public services', 'lu.09': 'Special use', 'lu.10': 'Transport',
  'lu.11': 'Water and water works', 'lu.12': 'Other land',
  area: 'Area', areaEllipsoidal: 'Ellipsoidal area (CGCS2000)', featureId: 'Feature id',
  'field.code': 'Code', 'field.name': 'Name', 'field.function': 'Dominant function', 'field.category': 'Category', 'field.zone': 'Zone',
  'field.level': 'Level', 'field.source_name': 'Water source', 'field.source_type': 'Source type', 'field.parcel_code': 'Parcel id',
  'field.class_code': 'Class code', 'field.class_name': 'Class name', 'field.admin_code': 'Admin code',
  'field.official_area_m2': 'Official area (m², TBMJ)', 'field.terrain': 'Terrain class',
  changesTitle: 'Red-line / protected-area change', changeLayer: 'Layer', fromVersion: 'From version', toVersion: 'To version', compare: 'Compare',
  lost: 'Lost', gained: 'Gained', net: 'Net change', pieces: 'pieces',
  encroachTitle: 'Construction land in protected zones', landuseAsOf: 'Land-use version', since: 'Baseline', zoneFilter: 'Zone kind', all: 'All',
  'zone.redline': 'Red line', 'zone.reserve-core': 'Reserve core zone', 'zone.water-level1': 'Water level-1', 'zone.water-level2': 'Water level-2',
  parcel: 'Parcel', zone: 'Zone', classCode: 'Class', overlap: 'Overlap', status: 'New/legacy', isNew: 'new', legacy: 'legacy',
  rows: 'rows', noRows: 'None', clickRowHint: 'Click a header to sort, a row to zoom.',
  screeningTitle: 'Site screening', draw: 'Draw polygon', finish: 'Finish and screen', clear: 'Clear', bufferM: 'Buffer (m)',
  dropHint: 'or drop a GeoJSON file here / choose a file:', drawHint: 'Click the map to add vertices; double-click or press “Finish” to end.',
  siteArea: 'Site area', verdict: 'Verdict', 'verdict.clear': 'Clear', 'verdict.restricted': 'Restricted', 'verdict.prohibited': 'Prohibited',
  findings: 'Conflicts', layer: 'Layer', rule: 'Rule', reason: 'Reason', noConflict: 'No conflict found.', badFile: 'Could not read this GeoJSON file',
  dashboardTitle: 'Demonstration-zone indicators', region: 'Admin unit', year: 'Year', indicator: 'Indicator', value: 'Value', target: 'Target',
  inputs: 'Inputs', csv: 'CSV', tableNo: 'No.', needsRegion: 'Choose an admin unit', verdictCol: 'Status',
  'status.pass': 'Pass', 'status.fail': 'Fail', 'status.not-applicable': 'N/A', 'status.no-data': 'No data', 'status.error': 'Error',
};

const dictionaries: Record<Lang, Record<string, string>> = { zh, en };
const listeners: Array<() => void> = [];

function initialLang(): Lang {
  const fromQuery = new URLSearchParams(location.search).get('lang');
  if (fromQuery === 'en' || fromQuery === 'zh') return fromQuery;
  try {
    return localStorage.getItem('eco-lang') === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

let current: Lang = initialLang();

export const lang = (): Lang => current;

/** The text of a key in the current language (the key itself when unknown, so gaps are visible). */
export function t(key: string): string {
  return dictionaries[current][key] ?? dictionaries.zh[key] ?? key;
}

export function setLang(next: Lang): void {
  current = next;
  try {
    localStorage.setItem('eco-lang', next);
  } catch {
    /* private mode: the choice lasts for this page */
  }
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  listeners.forEach((l) => l());
}

/** Calls fn now and after every language change. */
export function onLang(fn: () => void): void {
  listeners.push(fn);
  fn();
}

/** A number with thousands separators and a fixed number of decimals. */
export function num(value: number, digits = 0): string {
  return value.toLocaleString(current === 'zh' ? 'zh-CN' : 'en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** m² per 亩 (mu): 10,000 / 15. */
export const M2_PER_MU = 10000 / 15;

/** An area in m², hm² and 亩. */
export function areaText(m2: number): string {
  return `${num(m2, 0)} m² · ${num(m2 / 10000, 2)} hm² · ${num(m2 / M2_PER_MU, 2)} 亩`;
}
