import { main } from '../../cmd/kubectl-netpol.js';
const u0 = process.cpuUsage();
let n = 0;
const code = await main(process.argv.slice(2), { stdout: { write: (s: string) => { n += s.length; return true; } }, stderr: { write: (s: string) => process.stderr.write(s) }, env: {}, readStdin: async () => '' });
const u = process.cpuUsage(u0);
console.log('code', code, 'bytes', n, 'cpu ms', ((u.user + u.system) / 1000).toFixed(0));
