// The smsgw CLI from source, exactly as bin/smsgw runs the build: `process.exitCode = await main(argv)`.
import { main } from "../../src/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
