// uPlot charts inside an accessible <figure>: a caption, and a one-line text summary for
// readers that cannot see the canvas.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h } from './ui.js';

export const COLORS = ['#1f6fb2', '#c2410c', '#15803d', '#7e22ce', '#a16207', '#be123c', '#0e7490'];

// series: [{ label, values, color?, dash?, fill?, points? (markers only), markers? (line and markers), bar? (-1 | 1: a bar left or right of the tick) }];
// x: numbers (unix seconds when time), or categories: names, one tick each (x is then their index).
export function chart(container, { title, summary, x, series, time = true, xLabel, yLabel, height = 240, scales, hooks, categories }) {
  if (categories) {
    x = categories.map((_, i) => i);
    time = false;
    scales = { x: { time: false, range: [-0.5, categories.length - 0.5] }, ...scales };
  }
  const fig = h('figure', { class: 'chart' }, h('figcaption', {}, title));
  const plotBox = h('div', { role: 'img', 'aria-label': `${title}. ${summary ?? ''}` });
  fig.append(plotBox, summary ? h('p', { class: 'summary' }, summary) : null);
  container.append(fig);
  const width = Math.max(320, Math.min(860, container.clientWidth || 760));
  return new uPlot({
    width, height,
    scales: { x: { time }, ...scales },
    axes: [categories ? { label: xLabel, splits: () => x, values: (u, ticks) => ticks.map((i) => categories[i] ?? '') } : { label: xLabel }, { label: yLabel, size: 60 }],
    series: [{ label: xLabel ?? (time ? 'time' : 'x') }, ...series.map((s, i) => ({
      label: s.label, stroke: s.color ?? COLORS[i % COLORS.length], width: s.width ?? 1.5, dash: s.dash, fill: s.fill,
      paths: s.points ? () => null : s.bar ? uPlot.paths.bars({ size: [0.35, 40], align: s.bar }) : undefined, points: s.points || s.markers ? { show: true, size: s.points ? 7 : 5, fill: s.color } : { show: false },
    }))],
    hooks,
  }, [x, ...series.map((s) => s.values)], plotBox);
}
