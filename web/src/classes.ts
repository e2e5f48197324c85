// Class lookup and colours, the same as report/map_classes.cpp and report/palettes.cpp: the breaks
// come from the island (computed once, in C++); this only finds a value's class and its colour.
import type { Palette } from './island';

export const NO_DATA_COLOUR = '#bdbdbd';
export const NO_CLASS = -1;

// viridisLite::viridis(n), n = 1…11 (R 4.2, viridisLite 0.4.1): as palettes.cpp (n = 1 added).
const VIRIDIS: string[][] = [
  ['#440154'],
  ['#440154', '#fde725'],
  ['#440154', '#21908c', '#fde725'],
  ['#440154', '#31688e', '#35b779', '#fde725'],
  ['#440154', '#3b528b', '#21908c', '#5dc863', '#fde725'],
  ['#440154', '#414487', '#2a788e', '#22a884', '#7ad151', '#fde725'],
  ['#440154', '#443a83', '#31688e', '#21908c', '#35b779', '#8fd744', '#fde725'],
  ['#440154', '#46337e', '#365c8d', '#277f8e', '#1fa187', '#4ac16d', '#9fda3a', '#fde725'],
  ['#440154', '#472d7b', '#3b528b', '#2c728e', '#21908c', '#27ad81', '#5dc863', '#aadc32', '#fde725'],
  ['#440154', '#482878', '#3e4a89', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6dcd59', '#b4de2c', '#fde725'],
  ['#440154', '#482576', '#414487', '#35608d', '#2a788e', '#21908c', '#22a884', '#43bf71', '#7ad151', '#bbdf27', '#fde725'],
];

// RColorBrewer::brewer.pal(n, "RdBu"), n = 3…11 (red = negative = lost sink), as palettes.cpp.
// n = 1 and 2 (one or two classes left after ties) take the middle and the two ends of n = 3.
const RDBU: string[][] = [
  ['#f7f7f7'],
  ['#ef8a62', '#67a9cf'],
  ['#ef8a62', '#f7f7f7', '#67a9cf'],
  ['#ca0020', '#f4a582', '#92c5de', '#0571b0'],
  ['#ca0020', '#f4a582', '#f7f7f7', '#92c5de', '#0571b0'],
  ['#b2182b', '#ef8a62', '#fddbc7', '#d1e5f0', '#67a9cf', '#2166ac'],
  ['#b2182b', '#ef8a62', '#fddbc7', '#f7f7f7', '#d1e5f0', '#67a9cf', '#2166ac'],
  ['#b2182b', '#d6604d', '#f4a582', '#fddbc7', '#d1e5f0', '#92c5de', '#4393c3', '#2166ac'],
  ['#b2182b', '#d6604d', '#f4a582', '#fddbc7', '#f7f7f7', '#d1e5f0', '#92c5de', '#4393c3', '#2166ac'],
  ['#67001f', '#b2182b', '#d6604d', '#f4a582', '#fddbc7', '#d1e5f0', '#92c5de', '#4393c3', '#2166ac', '#053061'],
  ['#67001f', '#b2182b', '#d6604d', '#f4a582', '#fddbc7', '#f7f7f7', '#d1e5f0', '#92c5de', '#4393c3', '#2166ac', '#053061'],
];

// RColorBrewer::brewer.pal(8, "Set2"), cycled.
const SET2 = ['#66c2a5', '#fc8d62', '#8da0cb', '#e78ac3', '#a6d854', '#ffd92f', '#e5c494', '#b3b3b3'];

// `reversed`: the variable's positive values are a loss (the island's "reversed"), so the colours
// run high-to-low and losses stay red.
export function paletteColours(kind: Palette, classes: number, reversed = false): string[] {
  if (classes <= 0) return [];
  if (kind === 'categorical') return Array.from({ length: classes }, (_, k) => SET2[k % SET2.length]);
  const table = kind === 'diverging' ? RDBU : VIRIDIS;
  if (classes > table.length) throw new Error(`${kind} palette has at most ${table.length} classes, not ${classes}`);
  return reversed ? [...table[classes - 1]].reverse() : table[classes - 1];
}

// The class of `value` for `edges` (k + 1 edges, k classes): left-closed [e_i, e_{i+1}), the last
// class closed, values outside the edges clamped to the end classes; NO_CLASS for NaN or no edges.
// Same rule as MapClasses::class_of.
export function classOf(edges: readonly number[], value: number): number {
  if (!Number.isFinite(value) || edges.length < 2) return NO_CLASS;
  // upper_bound over the interior edges e_1 … e_{k-1}
  let lo = 1, hi = edges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

export function colourOf(edges: readonly number[], kind: Palette, value: number, reversed = false): string {
  const k = classOf(edges, value);
  if (k === NO_CLASS) return NO_DATA_COLOUR;
  return paletteColours(kind, edges.length - 1, reversed)[k];
}
