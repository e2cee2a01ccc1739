// kubectl netpol completion bash|zsh|fish, and the hidden `__complete WORDS...` that the scripts and
// kubectl_complete-netpol call (Cobra's protocol, so kubectl itself can complete `kubectl netpol`).
import type { Argv } from 'yargs';
import { SHELLS, completionScript, type Shell } from '../../src/complete/scripts.js';
import type { CommandIO } from '../io.js';

export interface CompletionArgs {
  shell: Shell;
}

export function completionBuilder(y: Argv): Argv<CompletionArgs> {
  return y
    .positional('shell', { type: 'string', choices: SHELLS, describe: 'Shell to print the script for' })
    .example('source <(kubectl-netpol completion bash)', 'Complete the kubectl-netpol command in this bash session')
    .example('kubectl-netpol completion fish | source', 'The same in fish')
    .epilogue('For "kubectl netpol <TAB>" kubectl runs kubectl_complete-netpol from PATH (shipped beside kubectl-netpol in the release archives; krew does not link it, see the README).') as unknown as Argv<CompletionArgs>;
}

export async function runCompletion(args: CompletionArgs, io: CommandIO): Promise<number> {
  io.stdout.write(completionScript(args.shell));
  return 0;
}
