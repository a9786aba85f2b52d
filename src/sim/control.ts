/**
 * Control socket of a served simulator: one JSON object per line in, one JSON reply per line out.
 *   {"op":"inject","from":"+336…","text":"…","parts":2,"order":[2,1]}   or  "pdu":"07…"
 *   {"op":"status-report","mr":5,"status":"delivered","recipient":"+336…"}
 *   {"op":"fault","spec":"cms:500"}   {"op":"clear-faults","kind":"cms"}   {"op":"log"}   {"op":"state"}
 * Replies: {"ok":true,…} or {"ok":false,"error":"…"}. Bad input never stops the server.
 */
import { createConnection, createServer, type Server } from "node:net";
import { parseFault } from "./faults.js";
import type { SimControl } from "./index.js";
import { type StatusName, TP_ST } from "./network.js";

export type ControlRequest =
  | { op: "inject"; from: string; text?: string; pdu?: string; parts?: number; order?: number[] }
  | { op: "status-report"; mr: number; status: StatusName | number; recipient?: string }
  | { op: "fault"; spec: string }
  | { op: "clear-faults"; kind?: string }
  | { op: "log" }
  | { op: "state" };

class BadRequest extends Error {}

const isStr = (v: unknown): v is string => typeof v === "string" && v.length > 0;
const isInt = (v: unknown, min: number, max: number): v is number =>
  typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;

/** Applies one request to the simulator; throws BadRequest with a readable message. */
export function handleControl(sim: SimControl, req: unknown): Record<string, unknown> {
  if (typeof req !== "object" || req === null) throw new BadRequest("request must be a JSON object");
  const r = req as Record<string, unknown>;
  switch (r["op"]) {
    case "inject": {
      if (!isStr(r["from"])) throw new BadRequest("inject needs 'from'");
      if (!isStr(r["text"]) && !isStr(r["pdu"])) throw new BadRequest("inject needs 'text' or 'pdu'");
      if (r["parts"] !== undefined && !isInt(r["parts"], 1, 255))
        throw new BadRequest("'parts' must be 1..255");
      const order = r["order"];
      if (order !== undefined && !(Array.isArray(order) && order.every((n) => isInt(n, 1, 255))))
        throw new BadRequest("'order' must be a list of part numbers");
      sim.inject({
        from: r["from"],
        ...(isStr(r["text"]) ? { text: r["text"] } : {}),
        ...(isStr(r["pdu"]) ? { pdu: r["pdu"] } : {}),
        ...(isInt(r["parts"], 1, 255) ? { parts: r["parts"] } : {}),
        ...(order ? { order: order as number[] } : {}),
      });
      return {};
    }
    case "status-report": {
      if (!isInt(r["mr"], 0, 255)) throw new BadRequest("'mr' must be 0..255");
      const st = r["status"];
      const ok = isInt(st, 0, 255) || (typeof st === "string" && Object.hasOwn(TP_ST, st));
      if (!ok) throw new BadRequest(`'status' must be ${Object.keys(TP_ST).join("|")} or 0..255`);
      sim.injectStatusReport({
        mr: r["mr"],
        status: st as StatusName | number,
        ...(isStr(r["recipient"]) ? { recipient: r["recipient"] } : {}),
      });
      return {};
    }
    case "fault":
      if (!isStr(r["spec"])) throw new BadRequest("fault needs 'spec'");
      sim.setFault(parseFault(r["spec"]));
      return {};
    case "clear-faults":
      sim.clearFaults(isStr(r["kind"]) ? parseFault(r["kind"]).kind : undefined);
      return {};
    case "log":
      return { log: sim.network.log };
    case "state":
      return { msisdn: sim.msisdn, state: sim.state, faults: sim.modem.faults };
    default:
      throw new BadRequest(`unknown op '${String(r["op"])}'`);
  }
}

/** Listens on a unix socket path; each line is a request. */
export function serveControl(sim: SimControl, path: string): Promise<Server> {
  const server = createServer((sock) => {
    let buf = "";
    sock.setEncoding("utf8");
    sock.on("error", () => {});
    sock.on("data", (chunk: string) => {
      buf += chunk;
      for (let nl = buf.indexOf("\n"); nl >= 0; nl = buf.indexOf("\n")) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (!line) continue;
        let reply: Record<string, unknown>;
        try {
          reply = { ok: true, ...handleControl(sim, JSON.parse(line)) };
        } catch (e) {
          // BadRequest, FaultSpecError, JSON SyntaxError and network errors all carry a readable message.
          reply = { ok: false, error: e instanceof Error ? e.message : String(e) };
        }
        sock.write(`${JSON.stringify(reply)}\n`);
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(path, () => resolve(server));
  });
}

/** Sends one request to a control socket and returns the reply. */
export function sendControl(
  path: string,
  req: ControlRequest,
  timeoutMs = 5000,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const sock = createConnection(path);
    let buf = "";
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`no answer from ${path} within ${timeoutMs} ms`));
    }, timeoutMs);
    sock.setEncoding("utf8");
    sock.on("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot reach control socket ${path}: ${e.message}`));
    });
    sock.on("connect", () => sock.write(`${JSON.stringify(req)}\n`));
    sock.on("data", (c: string) => {
      buf += c;
      const nl = buf.indexOf("\n");
      if (nl < 0) return;
      clearTimeout(timer);
      sock.end();
      resolve(JSON.parse(buf.slice(0, nl)) as Record<string, unknown>);
    });
  });
}
