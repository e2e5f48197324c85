import { describe, expect, it } from 'vitest';
import { scriptHazard } from '../vite.config';

describe('inline-script guard of the build', () => {
  it('finds what would end or confuse an inline <script>', () => {
    expect(scriptHazard('const a = "</script>";')).toBe('</script');
    expect(scriptHazard('x = "</SCRIPT "')).toBe('</script');
    expect(scriptHazard('if (a<!--b) {}')).toBe('<!--');
    expect(scriptHazard('const ok = "<\\/script>" + "a < b";')).toBeNull();
  });
});
