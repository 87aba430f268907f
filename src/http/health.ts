// Liveness and readiness for orchestrators, unauthenticated and free of anything secret:
//   GET /healthz  200 {"status":"ok"} while the process answers at all
//   GET /readyz   200 when the store answers a trivial query and the data plane is reachable,
//                 503 otherwise, each check named with a short reason (never an id or a key)
import type { FastifyInstance } from 'fastify';

export interface ReadinessProbes {
  /** Resolves when the store answers a trivial query; rejects otherwise. */
  store(): Promise<unknown>;
  /** Whether the data plane can be reached now (the simulated one always can). */
  dataplane(): { up: boolean; detail: string };
}

type Check = { status: 'ok' | 'fail'; detail: string };

export async function healthPlugin(app: FastifyInstance, probes: ReadinessProbes): Promise<void> {
  app.get('/healthz', (_req, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const store: Check = await probes.store().then(
      (): Check => ({ status: 'ok', detail: 'the store answers' }),
      (): Check => ({ status: 'fail', detail: 'the store does not answer' }),
    );
    const dp = probes.dataplane();
    const dataplane: Check = { status: dp.up ? 'ok' : 'fail', detail: dp.detail };
    const ready = store.status === 'ok' && dataplane.status === 'ok';
    return reply
      .code(ready ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({ status: ready ? 'ready' : 'not ready', checks: { store, dataplane } });
  });
}
