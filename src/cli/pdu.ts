// Placeholder until the 'pdu' subcommand lands; replaced by its implementation.
export async function run(_args: string[]): Promise<number> {
  process.stderr.write("smsgw pdu: not available in this build\n");
  return 1;
}
