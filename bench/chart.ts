import type { BenchResult } from './report';

/* An SVG chart of a bench result: throughput against its floors, and latency percentiles per load. */

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

interface Bar {
  label: string;
  value: number;
  color: string;
}

function barPanel(title: string, unit: string, bars: Bar[], top: number): { svg: string; height: number } {
  const max = Math.max(1, ...bars.map((bar) => (Number.isFinite(bar.value) ? bar.value : 0)));
  const rows = bars.map((bar, index) => {
    const y = top + 30 + index * 22;
    const width = Number.isFinite(bar.value) ? (bar.value / max) * 420 : 0;
    const value = Number.isFinite(bar.value) ? `${bar.value.toFixed(bar.value < 10 ? 1 : 0)} ${unit}` : 'n/a';
    return `<text x="10" y="${y + 13}">${escape(bar.label)}</text><rect x="330" y="${y}" width="${width.toFixed(1)}" height="16" fill="${bar.color}"/><text x="${(336 + width).toFixed(1)}" y="${y + 13}">${escape(value)}</text>`;
  });
  return { svg: `<text x="10" y="${top + 18}" font-weight="bold">${escape(title)}</text>${rows.join('')}`, height: 40 + bars.length * 22 };
}

export function chartSvg(result: BenchResult): string {
  const throughput = barPanel('Throughput (orders or workflows per second)', '/s', [
    { label: 'shop, saturation', value: result.saturation.readyPerSecond, color: '#c2185b' },
    ...result.bare.map((bare) => ({ label: bare.name, value: bare.perSecond, color: '#607d8b' })),
  ], 0);
  const latencies = barPanel(
    'Placed -> ready in the read model (ms)',
    'ms',
    [result.saturation, ...result.rates].flatMap((phase) =>
      (['p50', 'p99'] as const).map((key) => ({ label: `${phase.label} ${key}`, value: phase.latencyMs[key], color: key === 'p50' ? '#7cb342' : '#f57c00' })),
    ),
    throughput.height,
  );
  const height = throughput.height + latencies.height + 30;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    throughput.svg,
    latencies.svg,
    `<text x="10" y="${height - 10}" fill="#555">${escape(`${result.date}, ${result.machine.cpus} cores, load ${result.loadAverage.before.map((value) => value.toFixed(1)).join(' ')}`)}</text>`,
    '</svg>',
  ].join('\n');
}
