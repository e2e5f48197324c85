// ECharts, tree-shaken to what the report draws (line, bar, scatter), SVG renderer (crisp, and
// getDataURL gives an SVG; PNG is rasterised from it in a canvas).
import * as echarts from 'echarts/core';
import { BarChart, LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, TitleComponent, MarkLineComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { t } from './i18n';

echarts.use([BarChart, LineChart, ScatterChart, GridComponent, LegendComponent, TooltipComponent, TitleComponent, MarkLineComponent, SVGRenderer]);

export interface SeriesSpec { name: string; data: (number | null)[]; kind?: 'line' | 'bar' | 'scatter'; dashed?: boolean; colour?: string }

const charts = new Set<echarts.ECharts>();

export function saveUrl(url: string, name: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

function pngFromSvg(svgUrl: string, width: number, height: number, name: string): void {
  const img = new Image();
  img.onload = () => {
    const canvas = document.createElement('canvas');
    canvas.width = width * 2;
    canvas.height = height * 2;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    saveUrl(canvas.toDataURL('image/png'), name);
  };
  img.src = svgUrl;
}

// A chart with SVG/PNG download buttons, in `host`. x: categories (years, groups).
export function chart(host: HTMLElement, title: string, x: (number | string)[], series: SeriesSpec[], unit = '', file = 'chart'): echarts.ECharts {
  const box = document.createElement('div');
  box.className = 'mc-chart';
  const head = document.createElement('div');
  head.className = 'mc-chart-head';
  head.textContent = title;
  const el = document.createElement('div');
  el.className = 'mc-chart-body';
  box.append(head, el);
  host.append(box);
  const c = echarts.init(el, undefined, { renderer: 'svg' });
  c.setOption({
    animation: false,
    grid: { left: 60, right: 16, top: 32, bottom: 28 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: x.map(String) },
    yAxis: { type: 'value', name: unit, nameTextStyle: { align: 'left' }, scale: true },
    series: series.map((s) => ({
      name: s.name, type: s.kind ?? 'line', data: s.data, connectNulls: false, showSymbol: s.kind !== 'bar',
      lineStyle: s.dashed ? { type: 'dashed' } : undefined, itemStyle: s.colour ? { color: s.colour } : undefined,
    })),
  });
  for (const kind of ['svg', 'png'] as const) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = t(kind);
    b.dataset.mc = `download-${kind}`;
    b.addEventListener('click', () => {
      const url = c.getDataURL({ type: 'svg' });
      if (kind === 'svg') saveUrl(url, `${file}.svg`);
      else pngFromSvg(url, c.getWidth(), c.getHeight(), `${file}.png`);
    });
    head.append(b);
  }
  charts.add(c);
  return c;
}

export function disposeCharts(host: HTMLElement): void {
  for (const c of [...charts]) {
    if (host.contains(c.getDom())) { c.dispose(); charts.delete(c); }
  }
}

window.addEventListener('resize', () => { for (const c of charts) c.resize(); });
