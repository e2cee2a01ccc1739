// The CLI as the executables start it: arguments from the process, exit code to the process.
import { main } from './kubectl-netpol.js';

export async function run(): Promise<void> {
  process.exitCode = await main(process.argv.slice(2));
}
