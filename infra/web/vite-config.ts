import { join } from 'node:path';
import type { InlineConfig } from 'vite' with { 'resolution-mode': 'import' };

export const WEB_ROOT = join(__dirname, '..', '..', 'web');

/** The console's Vite config, shared by the build and the development server (`npm run web:dev`). */
export async function consoleViteConfig({ build, ...overrides }: InlineConfig = {}): Promise<InlineConfig> {
  const { default: react } = await import('@vitejs/plugin-react'); // ESM only, like Vite
  return {
    root: WEB_ROOT,
    configFile: false,
    logLevel: 'warn',
    plugins: [react()],
    build: { outDir: join(WEB_ROOT, 'dist'), emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1500, ...build },
    server: {
      proxy: { '/v1': { target: process.env.API_URL ?? 'http://127.0.0.1:3000', changeOrigin: false } },
    },
    ...overrides,
  };
}
