import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE, formatHash, parseHash } from '../src/hash';
import { csvField, toCsv } from '../src/csv';

describe('URL hash state', () => {
  it('round-trips every field, with text that needs escaping', () => {
    const s = { view: 'table', variable: 'damage.mines.nep_loss_last_gC_m2_yr', year: 2020, mine: 'M 7&x=中', scenario: 'A', compare: true, filter: 'a#b' };
    const h = formatHash(s);
    expect(h.startsWith('#')).toBe(true);
    expect(parseHash(h)).toEqual(s);
  });
  it('leaves defaults out and reads #mine=ID alone', () => {
    expect(formatHash(DEFAULT_STATE)).toBe('');
    expect(parseHash('#mine=M12')).toEqual({ ...DEFAULT_STATE, mine: 'M12' });
    expect(parseHash('#year=20x').year).toBeNull();
  });
});

describe('CSV export', () => {
  it('quotes as RFC 4180 and writes NA for no value', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('x\ny')).toBe('"x\ny"');
    expect(csvField(NaN)).toBe('NA');
    expect(csvField(null)).toBe('NA');
    expect(csvField(0.1 + 0.2)).toBe('0.30000000000000004'); // shortest round-trip form, no loss
    expect(toCsv(['mine_id', 'v'], [['M1', 1.5], ['M,2', null]])).toBe('mine_id,v\nM1,1.5\n"M,2",NA\n');
  });
});
