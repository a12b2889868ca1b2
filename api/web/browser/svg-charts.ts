/// <reference lib="dom" />

/*
 * The two charts the reports panel draws, as plain SVG: horizontal bars and lines over time. Each is an image
 * with a text alternative (its figures in words) and a <title> per mark, so a screen reader and a hover both
 * get the numbers. Drawn here rather than with a charting library: two chart shapes need no dependency, the
 * pages load nothing from elsewhere (CSP `script-src 'self'`), and SVG scales with the page and prints sharply.
 */

const SVG = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>, ...children: Array<SVGElement | string>): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  for (const child of children) element.append(child);
  return element;
}

const titled = (text: string) => svg('title', {}, text);

export interface Bar {
  label: string;
  value: number;
  /** Shown at the end of the bar; the value by default. */
  text?: string;
  /** A CSS class for its colour. */
  tone?: string;
}

const BAR_HEIGHT = 18;
const BAR_GAP = 6;
const LABEL_WIDTH = 130;
const WIDTH = 440;
/** About how many characters of text fit after a bar per pixel of room (12px type). */
const PIXELS_PER_CHARACTER = 6.6;

/** One bar per row, scaled to the largest value; `textRoom` is the width kept after the bars for their text. */
export function barChart(description: string, bars: Bar[], textRoom = 90): SVGSVGElement {
  const height = Math.max(1, bars.length) * (BAR_HEIGHT + BAR_GAP);
  const largest = Math.max(...bars.map((bar) => bar.value), 0) || 1;
  const room = WIDTH - LABEL_WIDTH - textRoom;
  const fits = Math.floor(textRoom / PIXELS_PER_CHARACTER);
  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${height}`, class: 'chart bar-chart', role: 'img', 'aria-label': description });
  bars.forEach((bar, index) => {
    const y = index * (BAR_HEIGHT + BAR_GAP);
    const width = Math.max(bar.value > 0 ? 2 : 0, (bar.value / largest) * room);
    const text = bar.text ?? String(bar.value);
    chart.append(
      svg(
        'g',
        { class: `bar ${bar.tone ?? ''}`.trim() },
        titled(`${bar.label}: ${text}`),
        svg('text', { x: LABEL_WIDTH - 8, y: y + BAR_HEIGHT - 5, 'text-anchor': 'end', class: 'chart-label' }, bar.label),
        svg('rect', { x: LABEL_WIDTH, y, width: width.toFixed(1), height: BAR_HEIGHT, rx: 3 }),
        svg('text', { x: LABEL_WIDTH + width + 6, y: y + BAR_HEIGHT - 5, class: 'chart-value' }, text.length > fits ? `${text.slice(0, fits - 1)}…` : text),
      ),
    );
  });
  return chart;
}

export interface Series {
  name: string;
  /** One per x label; null where there is no value. */
  values: Array<number | null>;
  tone: string;
}

const PLOT = { left: 44, right: 12, top: 10, bottom: 26, height: 110 };

/** Lines over the x labels (hours), one per series, with a dot at every value so a single hour still shows. */
export function lineChart(description: string, xLabels: string[], series: Series[], unit: string): SVGSVGElement {
  const height = PLOT.top + PLOT.height + PLOT.bottom;
  const plotWidth = WIDTH - PLOT.left - PLOT.right;
  const largest = Math.max(...series.flatMap((line) => line.values.filter((value): value is number => value !== null)), 0) || 1;
  const x = (index: number) => PLOT.left + (xLabels.length <= 1 ? plotWidth / 2 : (index / (xLabels.length - 1)) * plotWidth);
  const y = (value: number) => PLOT.top + PLOT.height - (value / largest) * PLOT.height;
  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${height}`, class: 'chart line-chart', role: 'img', 'aria-label': description });

  for (const fraction of [0, 0.5, 1]) {
    const value = largest * fraction;
    chart.append(
      svg('line', { x1: PLOT.left, x2: WIDTH - PLOT.right, y1: y(value), y2: y(value), class: 'grid' }),
      svg('text', { x: PLOT.left - 6, y: y(value) + 4, 'text-anchor': 'end', class: 'chart-axis' }, `${round(value)}${unit}`),
    );
  }
  // At most about six time labels, evenly spread.
  const step = Math.max(1, Math.ceil(xLabels.length / 6));
  xLabels.forEach((label, index) => {
    if (index % step !== 0 && index !== xLabels.length - 1) return;
    // The first and last labels keep inside the chart.
    const anchor = xLabels.length === 1 ? 'middle' : index === 0 ? 'start' : index === xLabels.length - 1 ? 'end' : 'middle';
    chart.append(svg('text', { x: x(index), y: height - 8, 'text-anchor': anchor, class: 'chart-axis' }, label));
  });
  for (const line of series) {
    const points = line.values.flatMap((value, index) => (value === null ? [] : [{ x: x(index), y: y(value), value, label: xLabels[index]! }]));
    const group = svg('g', { class: `series ${line.tone}` });
    if (points.length > 1) group.append(svg('polyline', { points: points.map((point) => `${point.x.toFixed(1)},${point.y.toFixed(1)}`).join(' '), fill: 'none' }));
    for (const point of points) group.append(svg('circle', { cx: point.x.toFixed(1), cy: point.y.toFixed(1), r: 3.5 }, titled(`${line.name} at ${point.label}: ${round(point.value)}${unit}`)));
    chart.append(group);
  }
  return chart;
}

export function round(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2).replace(/\.?0+$/, '');
}
