// The server's app around the report's views: a bar to pick the project and run, upload inputs,
// edit and check the configuration, start a run and follow its progress (server-sent events),
// and compare the shown run with another. The run's views are the report's (main.ts), fed by
// HttpProvider. The project and run are kept in the query string (?project=…&run=…); the hash
// stays the views' own state.
import type { DataProvider } from '../provider';
import { api, ApiError, HttpProvider } from '../providers/http';

interface RunInfo { id: string; status: string; created?: string; finished?: string; files?: { id: string; name: string }[] }
interface InputInfo { id: string; name: string; driver?: string; features?: number; width?: number; height?: number }
interface ProjectInfo { id: string; name: string; config: string | null; inputs: InputInfo[]; runs: RunInfo[] }
interface ConfigErrorRow { line?: number; section?: string; key?: string; message: string }
interface Compared { var: string; unit: string; mines: { id: string; a: number | null; b: number | null; diff: number | null }[]; totals: { a: number; b: number; diff: number } }

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...kids: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...kids);
  return e;
}

const shown = (r: RunInfo) => r.status === 'ok' || r.status === 'imported';
const fmt = (x: number | null) => (x === null || !Number.isFinite(x) ? 'NA' : x.toPrecision(6));

class Shell {
  private project: ProjectInfo | null = null;
  private runId: string | null = null;
  private provider: HttpProvider | null = null;
  private readonly bar = document.getElementById('mc-shell')!;
  private readonly projectSel = el('select', { 'data-mc': 'project' });
  private readonly runSel = el('select', { 'data-mc': 'run' });
  private readonly status = el('span', { class: 'mc-note', 'data-mc': 'run-status' });
  private readonly inputs = el('ul', { 'data-mc': 'inputs' });
  private readonly config = el('textarea', { 'data-mc': 'config', rows: '12', cols: '80', spellcheck: 'false' });
  private readonly configErrors = el('ul', { class: 'mc-warn', 'data-mc': 'config-errors' });
  private readonly progress = el('div', { 'data-mc': 'run-progress' });
  private readonly compareSel = el('select', { 'data-mc': 'compare-run' });
  private readonly compareOut = el('div', { 'data-mc': 'compare' });

  constructor(private readonly show: (d: DataProvider) => Promise<void>) {}

  async start(): Promise<void> {
    this.buildBar();
    const q = new URLSearchParams(location.search);
    const projects = (await api<{ projects: { id: string; name: string }[] }>('/api/projects')).projects;
    this.projectSel.replaceChildren(...projects.map((p) => el('option', { value: p.id }, p.name)));
    const pid = projects.find((p) => p.id === q.get('project'))?.id ?? projects[0]?.id;
    if (!pid) { this.message('No project yet: create one above.'); return; }
    await this.openProject(pid, q.get('run'));
  }

  private buildBar(): void {
    const newName = el('input', { type: 'text', placeholder: 'new project', 'data-mc': 'new-project-name' });
    const create = el('button', { type: 'button', 'data-mc': 'new-project' }, 'Create');
    create.addEventListener('click', () => void this.guard(async () => {
      const p = await api<{ id: string }>('/api/projects', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: newName.value }) });
      this.projectSel.append(el('option', { value: p.id }, newName.value));
      await this.openProject(p.id, null);
    }));
    this.projectSel.addEventListener('change', () => void this.guard(() => this.openProject(this.projectSel.value, null)));
    this.runSel.addEventListener('change', () => void this.guard(() => this.openRun(this.runSel.value)));
    const upload = el('input', { type: 'file', 'data-mc': 'upload', accept: '.gpkg,.geojson,.json,.tif,.tiff,.csv,.zip' });
    upload.addEventListener('change', () => void this.guard(async () => {
      const file = upload.files?.[0];
      if (!file || !this.project) return;
      const form = new FormData();
      form.append('file', file, file.name);
      await api(`/api/projects/${this.project.id}/inputs`, { method: 'POST', body: form });
      upload.value = '';
      await this.reloadProject();
    }));
    const save = el('button', { type: 'button', 'data-mc': 'save-config' }, 'Check and save');
    save.addEventListener('click', () => void this.guard(() => this.saveConfig()));
    const run = el('button', { type: 'button', 'data-mc': 'start-run' }, 'Start a run');
    run.addEventListener('click', () => void this.guard(() => this.startRun()));
    this.compareSel.addEventListener('change', () => void this.guard(() => this.compare()));
    const details = el('details', { 'data-mc': 'project-panel' },
      el('summary', {}, 'Inputs, configuration and runs'),
      el('div', { class: 'mc-controls' }, el('label', {}, 'Upload an input ', upload)),
      this.inputs,
      el('p', { class: 'mc-note' }, 'Inputs are referred to in the configuration as inputs/ID.EXT.'),
      this.config, el('div', { class: 'mc-controls' }, save, run), this.configErrors, this.progress);
    this.bar.className = 'mc-section';
    this.bar.replaceChildren(
      el('div', { class: 'mc-controls' },
        el('b', {}, 'minecarbon'), el('label', {}, 'Project ', this.projectSel), newName, create,
        el('label', {}, 'Run ', this.runSel), this.status,
        el('label', {}, 'Compare with ', this.compareSel)),
      this.compareOut, details);
  }

  // Runs `f`, showing an error in the bar instead of throwing.
  private async guard(f: () => Promise<void>): Promise<void> {
    try { await f(); } catch (e) {
      console.warn(e);
      this.status.textContent = e instanceof Error ? e.message : String(e);
      this.status.setAttribute('data-error', '1');
    }
  }

  private message(text: string): void {
    document.getElementById('app')!.replaceChildren(el('p', { 'data-mc': 'app-message' }, text));
  }

  private keepInUrl(): void {
    const q = new URLSearchParams();
    if (this.project) q.set('project', this.project.id);
    if (this.runId) q.set('run', this.runId);
    history.replaceState(null, '', `${location.pathname}?${q}${location.hash}`);
  }

  private async reloadProject(): Promise<void> {
    if (!this.project) return;
    this.project = await api<ProjectInfo>(`/api/projects/${this.project.id}`);
    const p = this.project;
    this.inputs.replaceChildren(...p.inputs.map((i) => el('li', { 'data-input-id': i.id },
      `${i.name} → inputs/${i.id}${i.name.slice(i.name.lastIndexOf('.')).toLowerCase()} (${i.driver ?? '?'}${i.features !== undefined ? `, ${i.features} features` : ''}${i.width ? `, ${i.width}×${i.height}` : ''})`)));
    const label = (r: RunInfo) => `${r.id} · ${r.status}${r.finished ? ` · ${r.finished}` : ''}`;
    this.runSel.replaceChildren(...p.runs.map((r) => el('option', { value: r.id }, label(r))));
    this.compareSel.replaceChildren(el('option', { value: '' }, '—'), ...p.runs.filter(shown).map((r) => el('option', { value: r.id }, label(r))));
    if (this.runId) this.runSel.value = this.runId;
  }

  private async openProject(id: string, runId: string | null): Promise<void> {
    this.project = { id, name: '', config: null, inputs: [], runs: [] };
    this.projectSel.value = id;
    await this.reloadProject();
    this.config.value = this.project.config ?? '';
    const runs = this.project.runs.filter(shown);
    const pick = runs.find((r) => r.id === runId)?.id ?? runs[runs.length - 1]?.id ?? null;
    if (pick) await this.openRun(pick);
    else { this.runId = null; this.keepInUrl(); this.message('This project has no finished run yet: upload its inputs, save a configuration and start a run.'); }
  }

  private async openRun(id: string): Promise<void> {
    this.runId = id;
    this.runSel.value = id;
    this.keepInUrl();
    this.status.removeAttribute('data-error');
    this.status.textContent = 'loading…';
    this.provider = await HttpProvider.load(id);
    await this.show(this.provider);
    this.status.textContent = `${this.provider.mineIds.length} mines`;
    this.compareOut.replaceChildren();
    this.compareSel.value = '';
    document.body.setAttribute('data-mc-run', id);
  }

  private async saveConfig(): Promise<void> {
    if (!this.project) return;
    this.configErrors.replaceChildren();
    try {
      await api(`/api/projects/${this.project.id}/config`, { method: 'PUT', headers: { 'Content-Type': 'application/toml' }, body: this.config.value });
      this.configErrors.append(el('li', { 'data-mc': 'config-ok', class: 'mc-note' }, 'The configuration is valid and saved.'));
    } catch (e) {
      const rows = e instanceof ApiError ? (e.body as { errors?: ConfigErrorRow[] } | null)?.errors : undefined;
      if (!rows) throw e;
      this.configErrors.replaceChildren(...rows.map((r) => el('li', {}, `${r.line ? `line ${r.line}: ` : ''}${r.section ? `[${r.section}] ` : ''}${r.key ? `${r.key}: ` : ''}${r.message}`)));
    }
  }

  private async startRun(): Promise<void> {
    if (!this.project) return;
    const { run_id } = await api<{ run_id: string }>(`/api/projects/${this.project.id}/runs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    await this.reloadProject();
    const bar = el('progress', { max: '1', value: '0' });
    const text = el('span', { class: 'mc-note' }, 'queued');
    this.progress.replaceChildren(el('span', {}, `run ${run_id} `), bar, ' ', text);
    this.progress.setAttribute('data-run-id', run_id);
    this.progress.setAttribute('data-status', 'queued');
    const events = new EventSource(`/api/runs/${run_id}/events`);
    const done = new Promise<{ status: string; message: string }>((resolve) => {
      events.addEventListener('progress', (m) => {
        const p = JSON.parse((m as MessageEvent<string>).data) as { stage: string; phase: string; fraction: number };
        bar.value = p.fraction;
        text.textContent = `${p.stage} · ${p.phase}`;
        this.progress.setAttribute('data-status', 'running');
      });
      events.addEventListener('log', (m) => { text.textContent = String((JSON.parse((m as MessageEvent<string>).data) as { message?: string }).message ?? ''); });
      events.addEventListener('done', (m) => {
        events.close();
        resolve(JSON.parse((m as MessageEvent<string>).data) as { status: string; message: string });
      });
    });
    const end = await done;
    bar.value = 1;
    text.textContent = `${end.status}${end.message ? `: ${end.message}` : ''}`;
    this.progress.setAttribute('data-status', end.status);
    await this.reloadProject();
    if (end.status === 'ok') await this.openRun(run_id);
  }

  // The shown run (A) against another (B): per mine A, B and A − B of the map's variable and
  // year, and the totals (GET /api/compare).
  private async compare(): Promise<void> {
    const b = this.compareSel.value;
    this.compareOut.replaceChildren();
    if (!b || !this.runId) return;
    const hash = new URLSearchParams(location.hash.slice(1));
    const v = this.provider?.variables.find((x) => x.key === hash.get('var')) ?? this.provider?.variables.find((x) => x.values != null);
    if (!v) return;
    const q = new URLSearchParams({ a: this.runId, b, var: v.key });
    if (v.years) q.set('year', hash.get('year') ?? String(v.years[v.years.length - 1]));
    const c = await api<Compared>(`/api/compare?${q}`);
    const head = el('tr', {}, ...['mine_id', `A ${this.runId}`, `B ${b}`, 'A − B'].map((h) => el('th', {}, h)));
    const rows = c.mines.map((m) => el('tr', { 'data-mine-id': m.id }, el('td', {}, m.id), el('td', {}, fmt(m.a)), el('td', {}, fmt(m.b)), el('td', { 'data-mc': 'diff' }, fmt(m.diff))));
    const totals = el('tr', { 'data-mc': 'compare-totals' }, el('th', {}, 'total'), el('td', {}, fmt(c.totals.a)), el('td', {}, fmt(c.totals.b)), el('td', {}, fmt(c.totals.diff)));
    this.compareOut.append(el('h3', {}, `A − B: ${v.key}${q.get('year') ? ` ${q.get('year')}` : ''} (${c.unit || '—'})`),
      el('div', { class: 'mc-table-wrap' }, el('table', { class: 'mc-table', 'data-mc': 'compare-table' }, el('thead', {}, head), el('tbody', {}, totals, ...rows))));
  }
}

export async function startApp(show: (d: DataProvider) => Promise<void>): Promise<void> {
  await new Shell(show).start();
}
