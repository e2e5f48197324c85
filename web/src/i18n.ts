// UI labels in English and Chinese (`--lang en|zh` sets meta.lang).
const EN = {
  warnings: 'Warnings', map: 'Map', variable: 'Variable', year: 'Year', legend: 'Legend',
  noData: 'no data', noDataStatus: 'no data (status)', mine: 'Mine', status: 'Status', reason: 'Reason',
  search: 'Search mines…', statusFilter: 'All statuses', download: 'Download CSV', table: 'Mines',
  showing: 'showing {n} of {m} rows ({f} match the filter)', summaries: 'Year and group summaries',
  yearSummary: 'Totals by year', groupYear: 'Groups by year', periods: 'Periods', method: 'Method and parameters',
  parameters: 'Parameters', inputs: 'Inputs', counts: 'Counts', footer: 'About this report',
  close: 'Close', print: 'Print', noWebgl: 'This browser has no WebGL2, so the interactive map is off. The table, charts and a static overview map below still work.',
  qo: 'NEP of the mine (Q) and its reference (O)', s: 'Relative change S with OLS line',
  attributes: 'Attributes', area: 'Area', validShare: 'Minimum valid-area share',
  lowValid: 'less than half of the mine had valid data in some year', sen: 'Sen slope', mkp: 'Mann–Kendall p',
  potential: 'Potential', interval: 'interval', noMine: 'No mine with id "{id}"',
  generated: 'Generated {t} by minecarbon {v}', command: 'Command', licences: 'Licences',
  analysed: 'analysed mines', losing: 'losing mines', loss: 'loss among losing mines', gain: 'gain among gaining mines',
  net: 'net change', regain: 'restoration potential', geometryNote: 'Geometry',
  unitless: 'Variables without a unit', svg: 'SVG', png: 'PNG',
  distribution: 'Distribution and ranking', histogram: 'mines per class', mines: 'mines', top: 'Top', moreWarnings: '{n} more', soilScenarios: 'Soil organic carbon by scenario (first and last year)',
} as const;

type Labels = Record<keyof typeof EN, string>;

const ZH: Labels = {
  warnings: '警告', map: '地图', variable: '变量', year: '年份', legend: '图例',
  noData: '无数据', noDataStatus: '无数据（状态）', mine: '矿区', status: '状态', reason: '原因',
  search: '搜索矿区…', statusFilter: '全部状态', download: '下载 CSV', table: '矿区列表',
  showing: '显示 {n} / {m} 行（{f} 行符合筛选）', summaries: '年度与分组汇总',
  yearSummary: '逐年合计', groupYear: '分组逐年', periods: '时段', method: '方法与参数',
  parameters: '参数', inputs: '输入', counts: '计数', footer: '关于本报告',
  close: '关闭', print: '打印', noWebgl: '此浏览器不支持 WebGL2，交互地图已关闭。下面的表格、图表和静态概览图仍可使用。',
  qo: '矿区 NEP（Q）与参照生态系统（O）', s: '相对变化 S 及其 OLS 趋势线',
  attributes: '属性', area: '面积', validShare: '最小有效面积比例',
  lowValid: '某些年份有效数据不足矿区面积的一半', sen: 'Sen 斜率', mkp: 'Mann–Kendall p 值',
  potential: '恢复潜力', interval: '区间', noMine: '没有编号为“{id}”的矿区',
  generated: '由 minecarbon {v} 于 {t} 生成', command: '命令', licences: '许可证',
  analysed: '已分析矿区', losing: '损失矿区', loss: '损失矿区的损失量', gain: '增益矿区的增益量',
  net: '净变化', regain: '恢复潜力', geometryNote: '几何',
  unitless: '无单位变量', svg: 'SVG', png: 'PNG',
  distribution: '分布与排名', histogram: '各分级矿区数', mines: '矿区数', top: '前', moreWarnings: '另外 {n} 条', soilScenarios: '各情景土壤有机碳（首年与末年）',
};

export type LabelKey = keyof typeof EN;
let current: Labels = EN;
export let lang: 'en' | 'zh' = 'en';

export function setLang(l: string): void {
  lang = l === 'zh' ? 'zh' : 'en';
  current = lang === 'zh' ? ZH : EN;
}

export function t(key: LabelKey, args: Record<string, string | number> = {}): string {
  return current[key].replace(/\{(\w+)\}/g, (_m, k: string) => String(args[k] ?? ''));
}

export function fmt(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return '–';
  return x.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}
