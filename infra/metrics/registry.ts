import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * This process's prom-client metrics: the API's, and the worker's activities' when they run in the
 * same process (`npm start`, the tests). Process metrics (memory, event-loop lag, GC) included.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'outdial_' });
