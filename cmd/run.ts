// The CLI as the executables start it: arguments from the process, exit code to the process.
import { guardPipes } from './io.js';
import { main } from './kubectl-netpol.js';

export async function run(): Promise<void> {
  guardPipes();
  process.exitCode = await main(process.argv.slice(2));
}
