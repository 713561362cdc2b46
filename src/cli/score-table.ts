/** The `maskgraph metrics` table for a terminal. */
import type { ImageScore, ScoreSummary } from '../metrics/score-files.js';

const COLUMNS: [keyof ScoreSummary & keyof ImageScore, string][] = [
  ['hce', 'HCE'],
  ['mae', 'MAE'],
  ['sm', 'S'],
  ['wfm', 'wF'],
  ['adpF', 'adpF'],
  ['meanF', 'meanF'],
  ['maxF', 'maxF'],
  ['adpE', 'adpE'],
  ['meanE', 'meanE'],
  ['maxE', 'maxE'],
];

function cell(key: string, value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  return key === 'hce' ? (Number.isInteger(value) ? String(value) : value.toFixed(1)) : value.toFixed(4);
}

export function renderScoreTable({ images, summary }: { images: ImageScore[]; summary: ScoreSummary }): string {
  const nameWidth = Math.max(8, ...images.map((image) => image.name.length));
  const header = ['image'.padEnd(nameWidth), ...COLUMNS.map(([, title]) => title.padStart(8))].join(' ');
  const rows = images.map((image) => [image.name.padEnd(nameWidth), ...COLUMNS.map(([key]) => cell(key, image[key]).padStart(8))].join(' '));
  const total = [`all (${summary.count})`.padEnd(nameWidth), ...COLUMNS.map(([key]) => cell(key, summary[key]).padStart(8))].join(' ');
  return [header, ...rows, '-'.repeat(header.length), total, ''].join('\n');
}
