import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * The inodes of the held TCP sockets whose local port is `port` and whose peer port is `peerPort` (Linux
 * /proc/net; undefined where neither table can be read). More than one when connections from two loopback
 * addresses share the port pair.
 */
function socketInodes(port: number, peerPort: number): string[] | undefined {
  const hex = (value: number) => `:${value.toString(16).toUpperCase().padStart(4, '0')}`;
  // A busy cloud's table holds thousands of connections (TIME_WAIT too): find the candidate lines by the local
  // port's text, `<address>:<PORT> `, rather than splitting every line, then check that line's fields exactly.
  const needle = `${hex(port)} `;
  let readable = false;
  const inodes: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
      readable = true;
    } catch {
      continue;
    }
    for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
      const start = text.lastIndexOf('\n', at) + 1;
      const end = text.indexOf('\n', at);
      const fields = text
        .slice(start, end === -1 ? undefined : end)
        .trim()
        .split(/\s+/);
      const [local, remote, inode] = [fields[1], fields[2], fields[9]];
      // Inode 0: a socket no process holds any more (TIME_WAIT). Any other state counts (a client that closed its
      // sending side is FIN_WAIT2 while its request is answered).
      if (!local || !remote || !inode || inode === '0') continue;
      const portOf = (address: string) => parseInt(address.slice(address.lastIndexOf(':') + 1), 16);
      if (portOf(local) === port && portOf(remote) === peerPort) inodes.push(inode);
    }
  }
  return readable ? inodes : undefined;
}

/**
 * Whether the loopback connection from `remotePort` (to the cloud's `localPort`) belongs to one of `pids`, by
 * finding the socket's inode in /proc/net/tcp and then among the processes' open file descriptors. Linux only:
 * undefined where /proc cannot tell (no table, no such live connection, a process whose descriptors cannot be
 * read). Function processes may start no children, so their own pids are all of them.
 */
export function connectionOwnedBy(
  remotePort: number,
  localPort: number,
  pids: readonly number[],
): boolean | undefined {
  if (pids.length === 0) return false;
  const inodes = socketInodes(remotePort, localPort);
  if (inodes === undefined || inodes.length === 0) return undefined;
  // Every candidate counts: the connection is a function's if a function process holds any of them.
  const links = new Set(inodes.map((inode) => `socket:[${inode}]`));
  let unsure = false;
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch (error) {
      // Gone (ENOENT) holds nothing; anything else (EACCES) means this answer cannot be trusted.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') unsure = true;
      continue;
    }
    for (const fd of fds) {
      try {
        if (links.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) return true;
      } catch {
        // closed meanwhile
      }
    }
  }
  return unsure ? undefined : false;
}
