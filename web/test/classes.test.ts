import { describe, expect, it } from 'vitest';
import { classOf, colourOf, NO_CLASS, NO_DATA_COLOUR, paletteColours } from '../src/classes';

describe('class lookup (MapClasses::class_of)', () => {
  const edges = [-3, -1, 1, 3]; // 3 classes, diverging
  it('is left-closed with the last class closed, clamped outside', () => {
    expect(classOf(edges, -3)).toBe(0);
    expect(classOf(edges, -1.0000001)).toBe(0);
    expect(classOf(edges, -1)).toBe(1);
    expect(classOf(edges, 0.999)).toBe(1);
    expect(classOf(edges, 1)).toBe(2);
    expect(classOf(edges, 3)).toBe(2);
    expect(classOf(edges, -10)).toBe(0);
    expect(classOf(edges, 10)).toBe(2);
  });
  it('gives no class for NaN or no edges, drawn grey', () => {
    expect(classOf(edges, NaN)).toBe(NO_CLASS);
    expect(classOf([], 1)).toBe(NO_CLASS);
    expect(classOf([5], 5)).toBe(NO_CLASS);
    expect(colourOf(edges, 'diverging', NaN)).toBe(NO_DATA_COLOUR);
  });
  it('one class when all values tie', () => {
    expect(classOf([2, 2], 2)).toBe(0);
  });
  it('uses the palettes of palettes.cpp', () => {
    expect(paletteColours('sequential', 7)).toEqual(['#440154', '#443a83', '#31688e', '#21908c', '#35b779', '#8fd744', '#fde725']);
    expect(paletteColours('diverging', 7)[0]).toBe('#b2182b'); // losses red
    expect(paletteColours('diverging', 7)[6]).toBe('#2166ac');
    expect(paletteColours('categorical', 9)[8]).toBe('#66c2a5'); // Set2 cycles
    expect(colourOf(edges, 'diverging', -2)).toBe('#ef8a62');
    // A loss variable (positive = lost sink) runs the other way: its highest class is red.
    expect(paletteColours('diverging', 7, true)[6]).toBe('#b2182b');
    expect(paletteColours('diverging', 7)[6]).toBe('#2166ac'); // the table itself is untouched
    expect(() => paletteColours('sequential', 12)).toThrow();
  });
});
