import { describe, expect, it } from 'vitest';
import { base122ToBytes, base64ToBytes, categoryValue, decodeDataIsland, minePoint, minePolygons, mineSeries, numericValue, parseContainer, unzigzag, NO_CODE, NO_COORD, type VariableSpec } from '../src/island';
import { base122, encodeContainer, encodeGeometry, gzipBase64, gzipBytes } from './encoder';

const squares: [number, number][][][][] = [
  [[[[110.5, 35.25], [110.51, 35.25], [110.51, 35.26], [110.5, 35.26]]]],
  // two parts, the first with a hole
  [[[[-3, -2], [-2, -2], [-2, -1], [-3, -1]], [[-2.8, -1.8], [-2.2, -1.8], [-2.2, -1.2]]], [[[10, 10], [10.5, 10], [10.5, 10.5]]]],
  [],
];

function sample(extraPadding = 0, magic = 'MCI3') {
  const g = encodeGeometry(squares, 1e6);
  const header = {
    mines: { count: 3, ids: ['M1', 'M<2>&', '中3'], status: ['ok', 'ok', 'no_geometry'] },
    variables: [
      { key: 'damage.mines.x_gC_m2_yr', stage: 'damage', table: 'mines', column: 'x_gC_m2_yr', unit: 'gC m⁻² yr⁻¹', label: { en: 'x', zh: 'x' }, description: '', palette: 'sequential' as const, years: null, values: 0, missing: 1, breaks: { method: 'quantile', edges: [0, 1, 2] } },
      { key: 'damage.mine_year.q', stage: 'damage', table: 'mine_year', column: 'nep_mine_gC_m2_yr', unit: '', label: { en: 'Q', zh: 'Q' }, description: '', palette: 'sequential' as const, years: [2000, 2001], values: 1, missing: 0 },
      { key: 'damage.mines.status', stage: 'damage', table: 'mines', column: 'status', unit: '', label: { en: 's', zh: 's' }, description: '', palette: 'categorical' as const, years: null, categories: ['ok', 'too_small'], codes: 2, missing: 1 },
    ],
    tables: [],
    geometry: { scale: 1e6, points: 3, mine_parts: 4, part_rings: 5, ring_vertices: 6, coords: 7 },
  };
  // Some buffers byte-shuffled, some plain: the reader takes both.
  const columns = [
    { type: 'f64' as const, data: [0.1 + 0.2, NaN, -1e300], shuffle: true },
    { type: 'f32' as const, data: [1, 2, 3, 4.5, 5, 6] },
    { type: 'u16' as const, data: [1, 0, NO_CODE], shuffle: true },
    { type: 'i32' as const, data: [110505000, 35255000, -2900000, -1900000, NO_COORD, NO_COORD], shuffle: true },
    { type: 'u32' as const, data: g.parts, shuffle: true },
    { type: 'u32' as const, data: g.rings },
    { type: 'u32' as const, data: g.verts, shuffle: true },
    { type: 'i32' as const, data: g.coords, shuffle: true },
  ];
  return encodeContainer(header, columns, extraPadding, magic);
}

describe('data island', () => {
  it('round-trips values, categories and geometry through gzip and base64', async () => {
    const c = await decodeDataIsland(await gzipBase64(sample()));
    expect(c.header.mines.ids).toEqual(['M1', 'M<2>&', '中3']);
    const [x, q, s] = c.header.variables;
    expect(numericValue(c, x, 0)).toBe(0.1 + 0.2); // f64 exact
    expect(numericValue(c, x, 1)).toBeNaN();
    expect(numericValue(c, x, 2)).toBe(-1e300);
    // per-year values are mine-major: [mine * years + y]
    expect(numericValue(c, q, 0, 1)).toBe(2);
    expect(numericValue(c, q, 1, 1)).toBe(4.5);
    expect(numericValue(c, q, 2, 0)).toBe(5);
    expect(Array.from(mineSeries(c, q, 1))).toEqual([3, 4.5]);
    expect(categoryValue(c, s, 0)).toBe('too_small');
    expect(categoryValue(c, s, 1)).toBe('ok');
    expect(categoryValue(c, s, 2)).toBeNull();
    expect(minePoint(c, 0)).toEqual([110.505, 35.255]);
    expect(minePoint(c, 2)).toBeNull();
    const p0 = minePolygons(c, 0);
    expect(p0).toHaveLength(1);
    expect(p0[0][0]).toHaveLength(5); // closed for GeoJSON
    expect(p0[0][0][2][0]).toBeCloseTo(110.51, 9);
    expect(p0[0][0][4]).toEqual(p0[0][0][0]);
    const p1 = minePolygons(c, 1);
    expect(p1).toHaveLength(2);
    expect(p1[0]).toHaveLength(2); // exterior + hole
    expect(p1[0][1][1][0]).toBeCloseTo(-2.2, 9);
    expect(p1[1][0][2]).toEqual([10.5, 10.5]);
    expect(minePolygons(c, 2)).toEqual([]);
  });

  it('reads buffers that start after extra padding', () => {
    const c = parseContainer(sample(16));
    expect(numericValue(c, c.header.variables[0], 0)).toBe(0.1 + 0.2);
  });

  it('still reads the older MCI2 container', () => {
    const c = parseContainer(sample(0, 'MCI2'));
    expect(numericValue(c, c.header.variables[0], 0)).toBe(0.1 + 0.2);
    expect(minePoint(c, 0)).toEqual([110.505, 35.255]);
  });

  it('reads per-mine numbers stored as f32 and coordinates at any scale', () => {
    const header = {
      mines: { count: 3, ids: ['a', 'b', 'c'], status: ['', '', ''] },
      variables: [{ key: 'damage.mines.x', stage: 'damage', table: 'mines', column: 'x', unit: '', label: { en: 'x', zh: 'x' }, description: '', palette: 'sequential' as const, years: null, values: 0, missing: 1 }],
      tables: [],
      geometry: { scale: 1e5, points: 1 },
    };
    const c = parseContainer(encodeContainer(header, [
      { type: 'f32', data: [123.4567, NaN, -0.5], shuffle: true },
      { type: 'i32', data: [11612346, 3998765, NO_COORD, NO_COORD, -7049000, -3324000], shuffle: true },
    ]));
    const x = c.header.variables[0];
    expect(numericValue(c, x, 0)).toBe(Math.fround(123.4567));
    expect(numericValue(c, x, 1)).toBeNaN();
    expect(numericValue(c, x, 2)).toBe(-0.5);
    expect(minePoint(c, 0)).toEqual([116.12346, 39.98765]);
    expect(minePoint(c, 1)).toBeNull();
    expect(minePoint(c, 2)).toEqual([-70.49, -33.24]);
  });

  it('rejects a wrong magic, a short file and a buffer past the end', () => {
    const good = sample();
    const bad = good.slice();
    bad[3] = 0x39;
    expect(() => parseContainer(bad)).toThrow(/MCI9.*expected "MCI3"/);
    expect(() => parseContainer(good.subarray(0, 5))).toThrow(/shorter than/);
    expect(() => parseContainer(good.subarray(0, good.length - 8))).toThrow(/runs past the end/);
  });

  it('decodes base64 (RFC 4648 test vectors)', () => {
    const vectors: [string, string][] = [['', ''], ['f', 'Zg=='], ['fo', 'Zm8='], ['foo', 'Zm9v'], ['foob', 'Zm9vYg=='], ['fooba', 'Zm9vYmE='], ['foobar', 'Zm9vYmFy']];
    for (const [plain, b64] of vectors) expect(new TextDecoder().decode(base64ToBytes(b64))).toBe(plain);
    expect(Array.from(base64ToBytes('/+8A'))).toEqual([255, 239, 0]);
  });

  it('divides per-mine integers by 10^decimals back to the exact doubles', () => {
    const v: VariableSpec = { key: 'a', stage: 'damage', table: 'mines', column: 'a', unit: '', label: { en: 'a', zh: 'a' }, description: '', palette: 'sequential', years: null, values: 0, missing: 1, decimals: 6 };
    const header = { mines: { count: 4, ids: ['a', 'b', 'c', 'd'], status: ['', '', '', ''] }, variables: [v], tables: [], geometry: null };
    const c = parseContainer(encodeContainer(header, [{ type: 'f64', data: [1234567891, -1, NaN, 100000], shuffle: true }]));
    expect(numericValue(c, v, 0)).toBe(1234.567891);
    expect(numericValue(c, v, 1)).toBe(-0.000001);
    expect(numericValue(c, v, 2)).toBeNaN();
    expect(numericValue(c, v, 3)).toBe(0.1);
  });

  it('decodes base122 (the same vectors as the C++ writer\'s test) and islands in it', async () => {
    const bytes = (...b: number[]) => new Uint8Array(b);
    expect(Array.from(base122ToBytes(''))).toEqual([]);
    expect(Array.from(base122ToBytes(' @'))).toEqual([0x41]);
    expect(Array.from(base122ToBytes('\u0100'))).toEqual([0x00]);
    expect(Array.from(base122ToBytes('\u0180'))).toEqual([0x1a]);
    expect(Array.from(base122ToBytes('\u001e\u0100'))).toEqual([0x3c, 0x00]);
    expect(Array.from(base122ToBytes('\u0200'))).toEqual([0x78]);
    expect(base122(bytes(0x3c, 0x3c, 0x3c, 0x3c, 0x3c, 0x3c, 0x3c)).slice(-1)).toBe('\u0282');
    const all = new Uint8Array(3000).map((_, i) => (i < 256 ? i : (i * 2654435761) >>> 24));
    const text = base122(all);
    expect(/[\0\r<]/.test(text)).toBe(false);
    expect(Array.from(base122ToBytes(text))).toEqual(Array.from(all));
    for (let n = 0; n < 9; ++n) expect(Array.from(base122ToBytes(base122(all.subarray(40, 40 + n))))).toEqual(Array.from(all.subarray(40, 40 + n)));
    expect(() => base122ToBytes('<')).toThrow(/excluded/);
    expect(() => base122ToBytes('中')).toThrow(/never writes/);
    const c = await decodeDataIsland(base122(await gzipBytes(sample())), 'base122');
    expect(numericValue(c, c.header.variables[0], 0)).toBe(0.1 + 0.2);
    await expect(decodeDataIsland('', 'base85')).rejects.toThrow(/unknown data-encoding/);
  });

  it('un-shuffles buffers byte plane by byte plane', () => {
    // Two i32, 0x04030201 and 0x08070605, stored shuffled: 01 05 02 06 03 07 04 08.
    const header = { mines: { count: 2, ids: ['a', 'b'], status: ['', ''] }, variables: [], tables: [], geometry: { scale: 1, points: 0 } };
    const bytes = encodeContainer(header, [{ type: 'i32', data: [0x04030201, 0x08070605], shuffle: true }]);
    const c = parseContainer(bytes);
    const offset = c.header.buffers[0].offset;
    expect(Array.from(bytes.subarray(offset, offset + 8))).toEqual([1, 5, 2, 6, 3, 7, 4, 8]);
    expect(Array.from(c.buffer(0))).toEqual([0x04030201, 0x08070605]);
  });

  it('undoes predictions (scale, sub, base) to the exact f32 the writer had', () => {
    // 3 mines × 4 years, mine-major. Q and O stored; P = Q − Q[year 1] + a little, so the
    // prediction is close but not exact; loss = −S; H = S · area per mine; a NaN in Q.
    const years = [2000, 2001, 2002, 2003], Y = years.length, N = 3;
    const Q = [310.3, 305.1, 299.9, 320.7, 150.25, 151.5, NaN, 149.0, 401.1, 402.2, 403.3, 404.4];
    const O = Q.map((_, i) => 320 + (i % 5) * 1.7);
    const f = (x: number) => Math.fround(x);
    const bits = (x: number) => { const b = new DataView(new ArrayBuffer(4)); b.setFloat32(0, x, true); return b.getUint32(0, true); };
    const predBits = (p: number) => (Number.isNaN(p) ? 0 : bits(p));
    const P = Q.map((q, i) => q - Q[i - (i % Y) + 1] + 1e-5 * (i % 3));
    const W = O.map((o, i) => o - O[i - (i % Y) + 1]);
    const S = P.map((p, i) => p - W[i]);
    const loss = S.map((s) => 0 - s);
    const area = [1.5e6, 2.25e5, 7.125e6];
    const H = S.map((s, i) => s * area[Math.floor(i / Y)] / 1e6);
    const fq = Q.map(f), fo = O.map(f), fp = P.map(f), fw = W.map(f), fs = S.map(f);
    // Residuals as the writer computes them (independently of the reader's code).
    const residual = (target: number[], prediction: number[]) => target.map((t, i) => (bits(f(t)) ^ predBits(f(prediction[i]))) >>> 0);
    const pPred = fq.map((q, i) => q - fq[i - (i % Y) + 1]);
    const wPred = fo.map((o, i) => o - fo[i - (i % Y) + 1]);
    const sPred = fp.map((p, i) => p - fw[i]);
    const lossPred = fs.map((s) => -1 * s);
    const factors = area.map((a) => a / 1e6);
    const hPred = fs.map((s, i) => factors[Math.floor(i / Y)] * s);
    const v = (key: string, values: number, predict?: VariableSpec['predict']): VariableSpec => ({ key, stage: 'damage', table: 'mine_year', column: key, unit: '', label: { en: key, zh: key }, description: '', palette: 'sequential', years, values, missing: 0, predict });
    const header = {
      mines: { count: N, ids: ['a', 'b', 'c'], status: ['', '', ''] },
      variables: [
        v('q', 0), v('o', 1),
        v('p', 2, { op: 'base', of: 'q', year_index: 1 }), v('w', 3, { op: 'base', of: 'o', year_index: 1 }),
        v('s', 4, { op: 'sub', of: ['p', 'w'] }), v('loss', 5, { op: 'scale', of: 's', factor: -1 }),
        v('h', 6, { op: 'scale', of: 's', factors: 7 }),
      ],
      tables: [], geometry: null,
    };
    const c = parseContainer(encodeContainer(header, [
      { type: 'f32', data: Q, shuffle: true }, { type: 'f32', data: O },
      { type: 'u32', data: residual(P, pPred), shuffle: true }, { type: 'u32', data: residual(W, wPred) },
      { type: 'u32', data: residual(S, sPred) }, { type: 'u32', data: residual(loss, lossPred) },
      { type: 'u32', data: residual(H, hPred), shuffle: true }, { type: 'f64', data: factors },
    ]));
    const [, , p, , s, l, h] = c.header.variables;
    // The residual of P is small but not zero: the prediction was close, not exact.
    const rp = Array.from(c.buffer(2) as Uint32Array);
    expect(rp.some((r) => r !== 0 && r < 1 << 12)).toBe(true);
    for (let m = 0; m < N; ++m) {
      for (let y = 0; y < Y; ++y) {
        const i = m * Y + y;
        for (const [spec, want] of [[p, P], [s, S], [l, loss], [h, H]] as [VariableSpec, number[]][]) {
          const got = numericValue(c, spec, m, y);
          if (Number.isNaN(want[i])) expect(got, `${spec.key} ${i}`).toBeNaN();
          else expect(got, `${spec.key} ${i}`).toBe(f(want[i]));
        }
      }
    }
    // Mine c's base year: S = 0, loss = 0 − 0 = +0 while −1 · 0 = −0; the residual keeps the sign.
    expect(Object.is(numericValue(c, l, 2, 1), 0)).toBe(true);
  });

  it('puts outline vertices on the quantisation grid, through zigzag steps either way', async () => {
    const ring: [number, number][] = [[116.1234564, 39.9876541], [116.1334567, 39.9776549], [116.1434561, 39.9976542], [116.1034569, 39.9926547]];
    const g = encodeGeometry([[[ring]]], 1e6);
    // Steps: +10001 → 20002, −9999 → 19997 (zigzag), then the next pair.
    expect(g.coords.slice(0, 4)).toEqual([116123456, 39987654, 20002, 19997]);
    expect([0, 1, 2, 3, 4, 5].map(unzigzag)).toEqual([0, -1, 1, -2, 2, -3]);
    expect(unzigzag(-1)).toBe(-2147483648); // the u32 bits 0xFFFFFFFF
    const header = { mines: { count: 1, ids: ['g'], status: ['ok'] }, variables: [], tables: [], geometry: { scale: 1e6, points: 0, mine_parts: 1, part_rings: 2, ring_vertices: 3, coords: 4 } };
    const c = await decodeDataIsland(await gzipBase64(encodeContainer(header, [
      { type: 'i32', data: [116123456, 39987654] }, { type: 'u32', data: g.parts }, { type: 'u32', data: g.rings },
      { type: 'u32', data: g.verts }, { type: 'i32', data: g.coords, shuffle: true },
    ])));
    const [[decoded]] = minePolygons(c, 0);
    expect(decoded).toHaveLength(5); // closed for GeoJSON
    ring.forEach(([x, y], k) => {
      expect(decoded[k][0]).toBe(Math.round(x * 1e6) / 1e6);
      expect(decoded[k][1]).toBe(Math.round(y * 1e6) / 1e6);
      expect(Math.abs(decoded[k][0] - x)).toBeLessThanOrEqual(0.5e-6 + 1e-12);
      expect(Math.abs(decoded[k][1] - y)).toBeLessThanOrEqual(0.5e-6 + 1e-12);
    });
  });
});
