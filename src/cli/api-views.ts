/** The JSON shapes the CLI reads from the API (src/http/views.ts), reduced to what it shows. */

export interface MessageJson {
  readonly id: string;
  readonly direction: "outbound" | "inbound";
  readonly contact: string;
  readonly text: string;
  readonly status: string;
  readonly coding: string | null;
  readonly category: string | null;
  readonly modem: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly sendAt?: string | null;
  readonly validUntil?: string | null;
  readonly parts: readonly {
    seq: number;
    modem: string | null;
    mr: number | null;
    status: string;
    error: string | null;
  }[];
  readonly events?: readonly { at: string; type: string; detail: string | null }[];
}

export interface MessagePage {
  readonly items: readonly MessageJson[];
  readonly next: string | null;
}

export interface ModemJson {
  readonly name: string;
  readonly id: string;
  readonly enabled: boolean;
  readonly simulated: boolean;
  readonly state: string;
  readonly identity: { manufacturer?: string; model?: string; imei?: string; profile?: string } | null;
  readonly sim: { state: string; iccid?: string };
  readonly registration: string;
  readonly operator: string | null;
  readonly signalDbm: number | null;
  readonly counters: { sent: number; failed: number; received: number };
  readonly queueDepth: number;
  readonly lastSuccessAt: string | null;
  readonly lastError: string | null;
}
