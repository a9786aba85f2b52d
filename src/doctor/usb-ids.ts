/**
 * USB ids doctor knows about, and what they mean for an SMS gateway.
 * Modems: ModemManager's port-type rules (src/plugins/quectel/77-mm-quectel-port-types.rules,
 * src/plugins/simtech/77-mm-simtech-port-types.rules, src/plugins/huawei/…). Bridges: its
 * 77-mm-usb-serial-adapters-greylist.rules. Huawei modes: usb_modeswitch's Huawei entries; HiLink
 * exposes a network interface and no AT port (asterisk-chan-dongle #279).
 */

export type UsbKind =
  | { readonly kind: "modem"; readonly name: string; readonly atInterface: number | "huawei-pcui" | null }
  | { readonly kind: "bridge"; readonly name: string }
  | { readonly kind: "hilink"; readonly name: string }
  | { readonly kind: "storage"; readonly name: string; readonly switchCommand: string };

/** Message that asks Huawei storage-mode firmware for the modem (AT) configuration 12d1:1001. */
export const HUAWEI_MODEM_MODE_MESSAGE = "55534243123456780000000000000011062000000100000000000000000000";

const table: Record<string, UsbKind> = {
  "2c7c:0125": { kind: "modem", name: "Quectel EC25/EG25", atInterface: 2 },
  "1e0e:9001": { kind: "modem", name: "SIMCom SIM7600 (SIM7000/SIM7100 family)", atInterface: 2 },
  "12d1:1506": { kind: "modem", name: "Huawei E3372/E3131 (stick mode)", atInterface: "huawei-pcui" },
  "12d1:1001": { kind: "modem", name: "Huawei modem mode (E3531, E169…)", atInterface: "huawei-pcui" },
  "12d1:14db": { kind: "hilink", name: "Huawei E3131/E353 HiLink" },
  "12d1:14dc": { kind: "hilink", name: "Huawei E3372 HiLink" },
  "12d1:1f01": {
    kind: "storage",
    name: "Huawei E3131/E3372/E3531 in storage (CD-ROM) mode",
    switchCommand: "sudo usb_modeswitch -v 12d1 -p 1f01 -J",
  },
  "12d1:14fe": {
    kind: "storage",
    name: "Huawei E3131/E303 in storage (CD-ROM) mode",
    switchCommand: "sudo usb_modeswitch -v 12d1 -p 14fe -J",
  },
  "12d1:1446": {
    kind: "storage",
    name: "Huawei E173/E1550 in storage (CD-ROM) mode",
    switchCommand: `sudo usb_modeswitch -v 12d1 -p 1446 -M ${HUAWEI_MODEM_MODE_MESSAGE}`,
  },
  "1a86:7523": { kind: "bridge", name: "CH340 USB-serial adapter" },
  "10c4:ea60": { kind: "bridge", name: "CP210x USB-serial adapter" },
  "0403:6001": { kind: "bridge", name: "FTDI FT232 USB-serial adapter" },
  "0403:6015": { kind: "bridge", name: "FTDI FT231X USB-serial adapter" },
  "067b:2303": { kind: "bridge", name: "Prolific PL2303 USB-serial adapter" },
};

export function usbKind(vendorId: string, productId: string): UsbKind | null {
  return table[`${vendorId.toLowerCase()}:${productId.toLowerCase()}`] ?? null;
}

/** Bridges that brltty's udev rules claim (braille displays use the same chips). */
export const BRLTTY_CLAIMED = new Set(["1a86:7523", "10c4:ea60", "0403:6001"]);
