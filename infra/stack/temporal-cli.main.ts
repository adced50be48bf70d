import { chosenEngine } from './engine-choice';
import { ensureTemporalCli } from './temporal-cli';
import { ensureTemporalServer } from './temporal-server-install';

/** `npm run temporal:install [-- --engine server]`: what the chosen engine runs, built when missing. */
async function main(): Promise<void> {
  if (chosenEngine(process.argv.slice(2), process.env) === 'server') {
    const { server, sqlTool } = await ensureTemporalServer();
    console.log(`temporal server: ${server}\ntemporal-sql-tool: ${sqlTool}`);
    return;
  }
  const { path, source } = await ensureTemporalCli();
  console.log(`temporal CLI (${source}): ${path}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
