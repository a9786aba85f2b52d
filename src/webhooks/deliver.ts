/**
 * One HTTP attempt. Success is any 2xx (Standard Webhooks "Delivery" section); redirects are not
 * followed and count as failures, so a moved endpoint is noticed rather than silently chased.
 */
import { webhookHeaders } from "./signing.js";

export type AttemptResult =
  | { readonly ok: true; readonly status: number }
  | { readonly ok: false; readonly status: number | null; readonly error: string };

export interface AttemptTarget {
  readonly url: string;
  readonly key: Buffer;
  readonly timeoutMs: number;
}

export async function attemptDelivery(
  target: AttemptTarget,
  msg: { id: string; body: string },
  nowMs: number,
  fetchFn: typeof fetch = fetch,
): Promise<AttemptResult> {
  const ts = Math.floor(nowMs / 1000);
  const signal = AbortSignal.timeout(target.timeoutMs);
  try {
    const res = await fetchFn(target.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "smsgw-webhooks/1",
        ...webhookHeaders(target.key, msg.id, ts, msg.body),
      },
      body: msg.body,
      redirect: "manual",
      signal,
    });
    // Drain (bounded by the same timeout) so the keep-alive connection can be reused.
    await res.arrayBuffer().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
    return { ok: false, status: res.status, error: `HTTP ${res.status}` };
  } catch (e) {
    if (signal.aborted) return { ok: false, status: null, error: `timeout after ${target.timeoutMs} ms` };
    const err = e as Error & { cause?: { code?: string; message?: string } };
    return { ok: false, status: null, error: err.cause?.code ?? err.cause?.message ?? err.message };
  }
}
