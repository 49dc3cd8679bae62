import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** The inode of the TCP socket whose local port is `port` and whose peer port is `peerPort` (Linux /proc/net). */
function socketInode(port: number, peerPort: number): string | undefined {
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
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
