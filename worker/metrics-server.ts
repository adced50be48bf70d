import { createServer, type Server } from 'node:http';
import { sameSecret } from '../infra/config/same-secret';
import { metricsRegistry } from '../infra/metrics/registry';
import { runtimeMetricsText } from '../infra/metrics/runtime-metrics';

/**
 * A production worker's `/metrics`: the process's own (prom-client) and its Temporal runtime's,
 * one scrape target per worker. `token` as for the API's: `Authorization: Bearer <token>`.
 */
export function startWorkerMetricsServer(port: number, token: string | undefined): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') return void res.writeHead(404).end();
    if (token && !sameSecret(req.headers.authorization ?? '', `Bearer ${token}`)) {
      return void res.writeHead(401).end();
    }
    void Promise.all([metricsRegistry.metrics(), runtimeMetricsText()]).then(
      ([own, runtime]) =>
        res.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(own + runtime),
      () => res.writeHead(500).end(),
    );
  });
  return new Promise((resolve) => server.listen(port, () => resolve(server)));
}
