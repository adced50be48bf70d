import { consoleViteConfig } from './vite-config';

/** `npm run web:dev`: the console with hot reload on :5173, /v1 proxied to API_URL (default :3000). */
async function main(): Promise<void> {
  const { createServer } = await import('vite'); // ESM only
  const server = await createServer(await consoleViteConfig({ logLevel: 'info' }));
  await server.listen(5173);
  server.printUrls();
}

void main();
