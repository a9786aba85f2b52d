// Placeholder until the 'sim' subcommand lands; replaced by its implementation.
export async function run(_args: string[]): Promise<number> {
  process.stderr.write("smsgw sim: not available in this build\n");
  return 1;
}
