// Shell scripts printed by `kubectl netpol completion bash|zsh|fish`: they complete the standalone
// `kubectl-netpol` command by asking `kubectl-netpol __complete WORDS...`, which answers the way Cobra
// programs do (one candidate per line, "value<TAB>description", then ":directive").

export type Shell = 'bash' | 'zsh' | 'fish';
export const SHELLS: readonly Shell[] = ['bash', 'zsh', 'fish'];

const BASH = `# bash completion for kubectl-netpol. Load it with:
#   source <(kubectl-netpol completion bash)
# (kubectl netpol <TAB> is completed by kubectl itself through kubectl_complete-netpol.)
_kubectl_netpol() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" out directive line
  out=$(kubectl-netpol __complete "\${COMP_WORDS[@]:1:COMP_CWORD-1}" "$cur" 2>/dev/null) || return 0
  directive="\${out##*:}"
  out="\${out%:*}"
  COMPREPLY=()
  while IFS= read -r line; do
    [[ -n "$line" ]] && COMPREPLY+=("\${line%%$'\\t'*}")
  done <<< "$out"
  if (( directive & 2 )); then compopt -o nospace 2>/dev/null; fi
  if (( \${#COMPREPLY[@]} == 0 && (directive & 4) == 0 )); then
    compopt -o default 2>/dev/null
  fi
  return 0
}
complete -F _kubectl_netpol kubectl-netpol
`;

const ZSH = `#compdef kubectl-netpol
# zsh completion for kubectl-netpol. Load it with:
#   source <(kubectl-netpol completion zsh)
# (kubectl netpol <TAB> is completed by kubectl itself through kubectl_complete-netpol.)
_kubectl_netpol() {
  local out directive line value desc
  local -a lines comps
  out=$(kubectl-netpol __complete "\${(@)words[2,CURRENT-1]}" "\${words[CURRENT]}" 2>/dev/null) || return 1
  lines=("\${(@f)out}")
  directive="\${lines[-1]#:}"
  lines=("\${(@)lines[1,-2]}")
  for line in "\${lines[@]}"; do
    [[ -z "$line" ]] && continue
    value="\${line%%$'\\t'*}"
    if [[ "$line" == *$'\\t'* ]]; then desc="\${line#*$'\\t'}"; else desc=""; fi
    comps+=("\${value//:/\\\\:}\${desc:+:$desc}")
  done
  if (( \${#comps} )); then
    if (( directive & 2 )); then _describe -t values kubectl-netpol comps -S ''; else _describe -t values kubectl-netpol comps; fi
  elif (( (directive & 4) == 0 )); then
    _files
  fi
}
if [[ "\${funcstack[1]}" = "_kubectl_netpol" ]]; then _kubectl_netpol "$@"; else compdef _kubectl_netpol kubectl-netpol; fi
`;

const FISH = `# fish completion for kubectl-netpol. Load it with:
#   kubectl-netpol completion fish | source
# (kubectl netpol <TAB> is completed by kubectl itself through kubectl_complete-netpol.)
function __kubectl_netpol_complete
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l out (kubectl-netpol __complete $tokens (commandline -ct) 2>/dev/null)
    or return
    set -l directive (string replace -r '^:' '' -- $out[-1])
    set -e out[-1]
    if test (count $out) -eq 0; and test (math "bitand($directive, 4)") -eq 0
        __fish_complete_path (commandline -ct)
        return
    end
    printf '%s\\n' $out
end
complete -c kubectl-netpol -f -a '(__kubectl_netpol_complete)'
`;

export function completionScript(shell: Shell): string {
  return shell === 'bash' ? BASH : shell === 'zsh' ? ZSH : FISH;
}

/**
 * The `kubectl_complete-netpol` helper kubectl (>= 1.26) runs for `kubectl netpol <TAB>`: it passes
 * the words after `netpol` and reads Cobra's format, which `__complete` prints.
 */
export const KUBECTL_COMPLETE_SH = `#!/bin/sh
# kubectl runs this for "kubectl netpol <TAB>": it must be on PATH. It asks the kubectl-netpol beside
# it, else the one on PATH.
here=$(dirname "$0")
if [ -x "$here/kubectl-netpol" ]; then exec "$here/kubectl-netpol" __complete "$@"; fi
exec kubectl-netpol __complete "$@"
`;
export const KUBECTL_COMPLETE_CMD = '@"%~dp0kubectl-netpol.exe" __complete %*\r\n';
