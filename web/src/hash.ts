// The report's state in the URL hash: view, variable, year, mine, scenario, comparison and the
// table filter, e.g. "#view=map&var=damage.mines.nep_loss_last_gC_m2_yr&year=2020&mine=M7".
export interface ViewState {
  view: string;
  variable: string | null;
  year: number | null;
  mine: string | null;
  scenario: string | null;
  compare: boolean;
  filter: string;
}

export const DEFAULT_STATE: ViewState = {
  view: 'map', variable: null, year: null, mine: null, scenario: null, compare: false, filter: '',
};

const KEYS: [keyof ViewState, string][] = [
  ['view', 'view'], ['variable', 'var'], ['year', 'year'], ['mine', 'mine'],
  ['scenario', 'scenario'], ['compare', 'compare'], ['filter', 'q'],
];

export function parseHash(hash: string): ViewState {
  const state: ViewState = { ...DEFAULT_STATE };
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const view = params.get('view');
  if (view) state.view = view;
  state.variable = params.get('var');
  const year = params.get('year');
  if (year !== null && /^-?\d+$/.test(year)) state.year = Number(year);
  state.mine = params.get('mine');
  state.scenario = params.get('scenario');
  state.compare = params.get('compare') === '1';
  state.filter = params.get('q') ?? '';
  return state;
}

export function formatHash(state: ViewState): string {
  const params = new URLSearchParams();
  for (const [field, key] of KEYS) {
    const value = state[field];
    if (value === null || value === '' || value === false) continue;
    if (field === 'view' && value === DEFAULT_STATE.view) continue;
    params.set(key, value === true ? '1' : String(value));
  }
  const text = params.toString();
  return text ? `#${text}` : '';
}
