/**
 * A second placed kill: between the commit of a batch's messages and the moment the
 * Idempotency-Key record gets its response. The bench watches the database (read-only) while one
 * batch request is in flight and SIGKILLs the daemon as soon as the batch's rows appear; if the
 * answer had already reached the client the window was missed and it tries again with a new key.
 * Then the daemon is restarted and the client retries the cut request with the same key until it
 * gets a 202, as any client must: the question is how many rows the batch ends with.
 */
import Database from "better-sqlite3";
import { type DaemonLife, killDaemon, startDaemon } from "./daemon-process.js";

export interface ApiWindow {
  readonly attempts: number;
  readonly placed: boolean;
  readonly batch: number;
  readonly rows: number;
  readonly answers409: number;
  readonly secondsToAnswer: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function post(url: string, apiKey: string, key: string, body: string): Promise<Response> {
  return fetch(`${url}/v1/messages/batch`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${apiKey}`,
      "content-type": "application/json",
      "idempotency-key": key,
    },
    body,
    signal: AbortSignal.timeout(30_000),
  });
}

/** Runs on a daemon whose API is up; returns the life to carry on with. */
export async function apiWindow(o: {
  life: DaemonLife;
  config: string;
  logFile: string;
  dbPath: string;
  url: string;
  apiKey: string;
}): Promise<{ result: ApiWindow; life: DaemonLife }> {
  const batch = 50;
  const db = new Database(o.dbPath, { readonly: true });
  const count = db.prepare("SELECT COUNT(*) AS n FROM messages WHERE body LIKE 'api-window %'");
  let life = o.life;
  let attempts = 0;
  let placed = false;
  let key = "";
  let body = "";
  while (!placed && attempts < 5) {
    attempts++;
    key = `api-window-${attempts}`;
    const messages = Array.from({ length: batch }, (_, i) => ({
      to: `+3362${String(3_000_000 + attempts * 1000 + i).padStart(7, "0")}`,
      text: `api-window ${attempts}-${i}`,
    }));
    body = JSON.stringify({ messages });
    const before = (count.get() as { n: number }).n;
    let answered = false;
    const req = post(o.url, o.apiKey, key, body).then(
      (r) => r.text().then(() => (answered = true)),
      () => undefined,
    );
    while ((count.get() as { n: number }).n === before && !answered)
      await new Promise((r) => setImmediate(r));
    life.child.kill("SIGKILL");
    await req;
    placed = !answered;
    await killDaemon(life);
    life = startDaemon(o.config, o.logFile, 1000 + attempts);
    await waitUp(o.url);
  }
  const t0 = Date.now();
  let answers409 = 0;
  for (;;) {
    const r = await post(o.url, o.apiKey, key, body).catch(() => null);
    if (r?.status === 202) break;
    if (r?.status === 409) answers409++;
    await sleep(1000);
  }
  const rows = (
    db.prepare("SELECT COUNT(*) AS n FROM messages WHERE body LIKE ?").get(`api-window ${attempts}-%`) as {
      n: number;
    }
  ).n;
  db.close();
  return {
    result: { attempts, placed, batch, rows, answers409, secondsToAnswer: (Date.now() - t0) / 1000 },
    life,
  };
}

async function waitUp(url: string): Promise<void> {
  for (const end = Date.now() + 60_000; Date.now() < end; await sleep(100)) {
    const ok = await fetch(`${url}/livez`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
  }
  throw new Error("the daemon did not come back");
}

export function describeApiWindow(w: ApiWindow): string {
  if (!w.placed) return `Placed kill in the API window: missed ${w.attempts} times (the answer was faster).`;
  return (
    "Placed kill (bench/crash-loop/api-window.ts): SIGKILL as soon as a batch's rows were committed, before its answer; " +
    `restart, retry with the same Idempotency-Key: ${w.answers409} answers 409, then 202 after ${w.secondsToAnswer.toFixed(0)} s; ` +
    `the batch of ${w.batch} ended with ${w.rows} stored messages${w.rows > w.batch ? " (every one queued to be sent twice)" : ""}.`
  );
}
