import { createSignedFetch } from '@sigv4-auth/signed-fetch';
import { DEVELOPER } from './gateway';
import { startCloudChild } from './cloud-child';
import { runLoad } from './load';
import { withCpu, type CpuPerRequest } from './process-cpu';

export interface OrdersResults {
  p50_ms: number;
  p99_ms: number;
  rps_c16: number;
  requests_c1: number;
  requests_c16: number;
  /**
   * CPU µs per order of the cloud, the function environments and the load generator, at concurrency 1 and 16
   * (Linux only): their sum against the machine's cores bounds the orders/s.
   */
  cpu_c1?: CpuPerRequest;
  cpu_c16?: CpuPerRequest;
}

/**
 * `POST /orders` end to end on the local cloud (its own process; both services packaged and deployed as
 * `npm start` does): the caller's signature checked by the gateway, order-service's Lambda signing with its
 * role's credentials, customer-service's gateway checking that, a DynamoDB GetItem and a PutItem.
 */
export async function benchOrders(count: number): Promise<OrdersResults> {
  const cloud = await startCloudChild(['--services']);
  try {
    const customers = cloud.urls['customer-service'] as string;
    const orders = cloud.urls['order-service'] as string;
    const signedFetch = createSignedFetch({
      region: 'us-east-1',
      service: 'execute-api',
      credentials: DEVELOPER,
    });
    const created = await signedFetch(`${customers}/customers`, {
      method: 'POST',
      body: JSON.stringify({ name: 'Bench', email: 'bench@example.com' }),
      headers: { 'content-type': 'application/json' },
    });
    if (created.status !== 201)
      throw new Error(`orders bench: creating the customer answered ${created.status}`);
    const { id: customerId } = (await created.json()) as { id: string };
    const order = JSON.stringify({ customerId, items: [{ sku: 'BOOK-1', quantity: 2, unitPrice: 1250 }] });
    const post = async () => {
      const response = await signedFetch(`${orders}/orders`, {
        method: 'POST',
        body: order,
        headers: { 'content-type': 'application/json' },
      });
      await response.arrayBuffer();
      return response.status === 201;
    };
    // Warm at the concurrency measured below: every function environment the pool will use is started, so the
    // orders/s are steady-state (cold starts are measured on their own, in coldstart.ts).
    await runLoad(post, { count: 100, concurrency: 16 });
    const serial = await withCpu(cloud.pid, () => runLoad(post, { count, concurrency: 1 }));
    const parallel = await withCpu(cloud.pid, () => runLoad(post, { count: count * 2, concurrency: 16 }));
    const failures = serial.failures + parallel.failures;
    if (failures > 0) throw new Error(`orders bench: ${failures} orders were not created (201)`);
    return {
      p50_ms: serial.p50_ms,
      p99_ms: serial.p99_ms,
      rps_c16: parallel.rps,
      requests_c1: serial.requests,
      requests_c16: parallel.requests,
      ...(serial.cpu ? { cpu_c1: serial.cpu } : {}),
      ...(parallel.cpu ? { cpu_c16: parallel.cpu } : {}),
    };
  } finally {
    await cloud.stop();
  }
}
