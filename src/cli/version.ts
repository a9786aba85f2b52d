/** The package version, read from package.json in both layouts (src/cli via tsx, dist/src/cli). */
import { existsSync, readFileSync } from "node:fs";

/** package.json is two levels up from src/cli and three from dist/src/cli. */
function packageJsonUrl(): URL {
  const near = new URL("../../package.json", import.meta.url);
  return existsSync(near) ? near : new URL("../../../package.json", import.meta.url);
}

export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(packageJsonUrl(), "utf8")) as { version: string }).version;
  } catch {
    return "0.0.0";
  }
}
