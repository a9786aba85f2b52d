/**
 * smsgw's side of the 4-modem peers bench: the daemon exactly as `smsgw start` runs it (config →
 * gateway → HTTP API → modems), from the TypeScript sources so the bench needs no build.
 * Usage: node --import tsx bench/peers/smsgw-daemon.ts start --config <file>
 */
import { main } from "../../src/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
