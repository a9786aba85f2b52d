/**
 * The API client of the crash loop: posts the outbound plan in batches to /v1/messages/batch, one
 * Idempotency-Key per batch, and keeps going whatever the daemon does. A request cut by a kill (or
 * refused while the daemon is down, or answered 409 because the cut attempt's claim is still held)
 * goes back to a retry list with the same key, and fresh batches continue meanwhile, as a client
 * that does not want to stall on one request would. What it counts tells whether a retried key
 * was replayed (the first attempt had completed) or executed again (it had not).
 */

export interface OutboundMessage {
  readonly token: string;
  readonly to: string;
  readonly text: string;
  readonly statusReport: boolean;
}

export interface ClientStats {
  requests: number;
  /** Attempts that got no HTTP answer after the request was sent (the kill cut them). */
  cut: number;
  /** Connection refused: the daemon was down, nothing was sent. */
  refused: number;
  /** 409: the key's claim from a cut attempt still held. */
  inFlight409: number;
  /** 202 with Idempotent-Replayed: the stored response of an attempt that had completed. */
  replayed: number;
  /** 202 executed afresh for a key whose earlier attempt had been cut. */
  reexecutedAfterCut: number;
  /** Other answers (5xx, 4xx), with their status. */
  other: Record<string, number>;
}

interface Batch {
  readonly key: string;
  readonly items: readonly OutboundMessage[];
  wasCut: boolean;
  retryAt: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class BatchClient {
  readonly stats: ClientStats = {
    requests: 0,
    cut: 0,
    refused: 0,
    inFlight409: 0,
    replayed: 0,
    reexecutedAfterCut: 0,
    other: {},
  };
  /** token → message ids the API acknowledged for it (202, item ok). */
  readonly acked = new Map<string, Set<string>>();
  readonly #todo: Batch[];
  readonly #retry: Batch[] = [];
  #done = 0;
  #inFlight = false;
  readonly #total: number;

  constructor(
    readonly url: string,
    readonly apiKey: string,
    messages: readonly OutboundMessage[],
    batchSize: number,
    /** Least time between the starts of two fresh batches, so that the posting spans the kills. */
    readonly paceMs = 0,
  ) {
    this.#todo = [];
    for (let i = 0; i < messages.length; i += batchSize)
      this.#todo.push({
        key: `crash-loop-${i / batchSize}`,
        items: messages.slice(i, i + batchSize),
        wasCut: false,
        retryAt: 0,
      });
    this.#total = this.#todo.length;
  }

  /** A request has been sent and its answer not yet read. */
  get inFlight(): boolean {
    return this.#inFlight;
  }

  get finished(): boolean {
    return this.#done === this.#total;
  }

  get ackedCount(): number {
    return this.acked.size;
  }

  /** Posts every batch until each has a definitive answer. */
  async run(): Promise<void> {
    let nextFresh = 0;
    while (!this.finished) {
      const now = Date.now();
      const i = this.#retry.findIndex((b) => b.retryAt <= now);
      let batch = i >= 0 ? this.#retry.splice(i, 1)[0] : undefined;
      if (!batch && now >= nextFresh) {
        batch = this.#todo.shift();
        nextFresh = now + this.paceMs;
      }
      if (!batch) {
        await sleep(100);
        continue;
      }
      // While the daemon is down, wait for it instead of cycling every fresh batch through refusals.
      if ((await this.#post(batch)) === "refused") await sleep(200);
    }
  }

  async #post(b: Batch): Promise<"refused" | undefined> {
    this.stats.requests++;
    let res: Response;
    this.#inFlight = true;
    try {
      res = await fetch(`${this.url}/v1/messages/batch`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${this.apiKey}`,
          "content-type": "application/json",
          "idempotency-key": b.key,
        },
        body: JSON.stringify({
          messages: b.items.map((m) => ({ to: m.to, text: m.text, statusReport: m.statusReport })),
        }),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (e) {
      this.#inFlight = false;
      const code = (e as { cause?: { code?: string } }).cause?.code;
      if (code === "ECONNREFUSED") this.stats.refused++;
      else {
        this.stats.cut++;
        b.wasCut = true;
      }
      this.#later(b, code === "ECONNREFUSED" ? 0 : 500);
      return code === "ECONNREFUSED" ? "refused" : undefined;
    }
    const text = await res.text().catch(() => null);
    this.#inFlight = false;
    if (text === null) {
      this.stats.cut++;
      b.wasCut = true;
      this.#later(b, 500);
      return;
    }
    if (res.status === 409) {
      this.stats.inFlight409++;
      this.#later(b, 1000 * Number(res.headers.get("retry-after") ?? 1));
      return;
    }
    if (res.status !== 202) {
      this.stats.other[res.status] = (this.stats.other[res.status] ?? 0) + 1;
      if (res.status >= 500) {
        this.#later(b, 1000);
        return;
      }
      throw new Error(`batch ${b.key}: HTTP ${res.status}: ${text.slice(0, 300)}`);
    }
    if (res.headers.get("idempotent-replayed") === "true") this.stats.replayed++;
    else if (b.wasCut) this.stats.reexecutedAfterCut++;
    const body = JSON.parse(text) as {
      results: { index: number; ok: boolean; message?: { id: string } }[];
    };
    for (const r of body.results) {
      const item = b.items[r.index];
      if (!item || !r.ok || !r.message) throw new Error(`batch ${b.key}: item ${r.index} refused`);
      const ids = this.acked.get(item.token) ?? new Set<string>();
      ids.add(r.message.id);
      this.acked.set(item.token, ids);
    }
    this.#done++;
  }

  #later(b: Batch, ms: number): void {
    b.retryAt = Date.now() + ms;
    this.#retry.push(b);
  }
}
