import { ensureTemporalCli } from './temporal-cli';

ensureTemporalCli()
  .then(({ path, source }) => console.log(`temporal CLI (${source}): ${path}`))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
