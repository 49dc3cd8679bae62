import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** The inode of the TCP socket whose local port is `port` and whose peer port is `peerPort` (Linux /proc/net). */
function socketInode(port: number, peerPort: number): string | undefined {
  const hex = (value: number) => `:${value.toString(16).toUpperCase().padStart(4, '0')}`;
  // A busy cloud's table holds thousands of connections (TIME_WAIT too): find the candidate lines by the local
  // port's text, `<address>:<PORT> `, rather than splitting every line, then check that line's fields exactly.
  const needle = `${hex(port)} `;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
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
      if (!local || !remote || !inode) continue;
      const portOf = (address: string) => parseInt(address.slice(address.lastIndexOf(':') + 1), 16);
      if (portOf(local) === port && portOf(remote) === peerPort) return inode;
    }
  }
  return undefined;
}

/**
 * Whether the loopback connection from `remotePort` (to the cloud's `localPort`) belongs to one of `pids`, by
 * finding the socket's inode in /proc/net/tcp and then among the processes' open file descriptors. Linux only:
 * undefined where /proc cannot tell. Function processes may start no children, so their own pids are all of them.
 */
export function connectionOwnedBy(
  remotePort: number,
  localPort: number,
  pids: readonly number[],
): boolean | undefined {
  if (pids.length === 0) return false;
  const inode = socketInode(remotePort, localPort);
  if (inode === undefined) return undefined;
  const link = `socket:[${inode}]`;
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === link) return true;
      } catch {
        // closed meanwhile
      }
    }
  }
  return false;
}
