// Runs the smsgw CLI from source (node --import tsx test/sim/run-cli.ts <args>), for process tests.
import { main } from "../../src/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
