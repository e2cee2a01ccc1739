// Every key of the TUI, in one table: the `?` help lists exactly these (test/tui checks the help shows each).

export interface KeyHelp {
  readonly keys: string;
  readonly what: string;
}

export const KEY_HELP: readonly KeyHelp[] = [
  { keys: '↑ ↓  j k', what: 'move the selection' },
  { keys: 'g G', what: 'first / last' },
  { keys: 'PgUp PgDn  ctrl-u ctrl-d', what: 'a page up / down' },
  { keys: 'Enter', what: 'open: a namespace, a pod or policy in full, the explanation of a matrix cell' },
  { keys: 'Esc  Backspace', what: 'back (first clears the filter)' },
  { keys: 'Tab  shift-Tab', what: 'next / previous pane: pods, policies, admin policies; explain fields' },
  { keys: '/', what: 'filter: words match names, -l key=value,key2 matches labels' },
  { keys: ':', what: 'jump: :ns NAME  :np [NAME]  :pod [NAME]  :matrix [NS [TO-NS]]  :explain FROM TO [PORT]  :port N[/PROTO]' },
  { keys: 'm', what: 'reachability matrix of the namespace' },
  { keys: 'e', what: 'explain a path (from the selected pod)' },
  { keys: 'y', what: 'YAML of the selected policy or admin policy' },
  { keys: '← →  h l', what: 'matrix: move between columns' },
  { keys: '[ ]', what: 'matrix: previous / next port' },
  { keys: 't', what: 'matrix: columns from another namespace' },
  { keys: 'w', what: 'matrix: wide mode (names over the columns)' },
  { keys: 'p', what: 'explain: next protocol (TCP, UDP, SCTP)' },
  { keys: 'P', what: 'probe the path (explain, a matrix cell) with real connections: observed vs expected (live cluster; Esc cancels); P again re-runs it' },
  { keys: 'r', what: 'reload the files (-f)' },
  { keys: '?', what: 'this help' },
  { keys: 'q  ctrl-c', what: 'quit' },
];
