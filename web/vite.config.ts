// `vite build --mode report`: one HTML file (dist/report.html) with every script and style inline,
// the template that `minecarbon report` fills (docs/report_island.md). The plugin below inlines the
// emitted chunks into the HTML and fails the build when the result would break out of its
// <script> elements or loses one of the markers the C++ writer replaces.
import { defineConfig, type Plugin } from 'vite';
import type { OutputAsset, OutputChunk } from 'rollup';

const REQUIRED_MARKERS = ['<!--MC_META-->', '<!--MC_DATA-->'];

// Text that would end or confuse an inline <script> (HTML "script data" state): a closing tag,
// or a comment opener that can enter the double-escaped state.
export function scriptHazard(code: string): string | null {
  if (/<\/script/i.test(code)) return '</script';
  if (/<!--/.test(code)) return '<!--';
  return null;
}

function inlineSingleFile(): Plugin {
  return {
    name: 'minecarbon-inline-single-file',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const html = Object.values(bundle).find(
        (f): f is OutputAsset => f.type === 'asset' && f.fileName.endsWith('.html'),
      );
      if (!html) this.error('no HTML entry in the bundle');
      let text = String(html.source);
      const used: string[] = [];
      text = text.replace(
        /<script type="module" crossorigin src="(?:\.?\/)?([^"]+)"><\/script>/g,
        (_m, file: string) => {
          const chunk = bundle[file] as OutputChunk | undefined;
          if (!chunk || chunk.type !== 'chunk') this.error(`script ${file} is not a chunk`);
          const hazard = scriptHazard(chunk.code);
          if (hazard) this.error(`the bundle of ${file} contains "${hazard}"; it cannot be inlined`);
          used.push(file);
          return `<script type="module">${chunk.code.replace(/\n\/\/# sourceMappingURL=.*$/, '')}</script>`;
        },
      );
      text = text.replace(/<link rel="stylesheet" crossorigin href="(?:\.?\/)?([^"]+)">/g, (_m, file: string) => {
        const asset = bundle[file] as OutputAsset | undefined;
        if (!asset || asset.type !== 'asset') this.error(`style ${file} is not an asset`);
        const css = String(asset.source);
        if (/<\/style/i.test(css)) this.error(`the style ${file} contains "</style"`);
        used.push(file);
        return `<style>${css}</style>`;
      });
      if (/<(script|link)[^>]+(src|href)=/.test(text)) this.error('an external script or style is left in the HTML');
      for (const marker of REQUIRED_MARKERS)
        if (text.split(marker).length !== 2) this.error(`the template must hold ${marker} exactly once`);
      for (const file of used) delete bundle[file];
      for (const [name, f] of Object.entries(bundle))
        if (f !== html) this.error(`unexpected extra output ${name}: everything must be inline`);
      html.source = text;
      html.fileName = 'report.html';
    },
  };
}

// `vite build --mode app`: the server's web app (app.html, embedded into the binary by
// scripts/embed_app.mjs and served at / by `minecarbon serve`). Chunks under assets/ with content
// hashes; MapLibre's worker is a file of its own (the server's CSP allows same-origin workers and
// fetches only); nothing is inlined as data: URLs.
const appBuild = {
  outDir: 'dist-app',
  emptyOutDir: true,
  target: 'es2022',
  assetsInlineLimit: 0,
  cssCodeSplit: false,
  modulePreload: false,
  sourcemap: false,
  reportCompressedSize: false,
  chunkSizeWarningLimit: 4096,
  rollupOptions: {
    input: 'app.html',
    output: {
      manualChunks: (id: string) => (id.includes('node_modules/maplibre-gl') ? 'maplibre' : id.includes('node_modules/echarts') || id.includes('node_modules/zrender') ? 'echarts' : undefined),
    },
  },
};

// In the app the map is always the tile map (app/tile_map.ts, the worker a file of its own), so the
// report map's inlined copy of the worker source (map.ts, `?raw`, 0.5 MB) is never used: left out.
function noInlinedWorker(): Plugin {
  const raw = 'maplibre-gl/dist/maplibre-gl-worker.mjs?raw';
  return {
    name: 'minecarbon-app-no-inlined-worker',
    enforce: 'pre',
    resolveId: (id) => (id === raw ? '\0mc-no-inlined-worker' : null),
    load: (id) => (id === '\0mc-no-inlined-worker' ? "export default '';" : null),
  };
}

export default defineConfig(({ mode }) => ({
  base: mode === 'app' ? '/' : './',
  publicDir: false,
  build: mode === 'app' ? appBuild : {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: Number.MAX_SAFE_INTEGER,
    cssCodeSplit: false,
    modulePreload: false,
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 4096,
    rollupOptions: { output: { inlineDynamicImports: true } },
  },
  plugins: mode === 'report' ? [inlineSingleFile()] : mode === 'app' ? [noInlinedWorker()] : [],
  test: { include: ['test/**/*.test.ts'], environment: 'node' },
}));
