/** Engine modem ids ("imei:…") ↔ configured names: the API and metrics only ever show names. */
export interface ModemNames {
  /** Engine modem id → configured name (identity when unknown). */
  nameOf(id: string): string;
  /** Configured name or engine id → engine id, undefined when no such modem. */
  idOf(nameOrId: string): string | undefined;
}

export const identityNames: ModemNames = { nameOf: (id) => id, idOf: (id) => id };
