// dynalite ships no types; this is the part of its API the repo uses.
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** LevelDB folder; in memory when absent. */
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
  }

  function dynalite(options?: DynaliteOptions): Server;
  export = dynalite;
}

/**
 * dynalite's own expression parsing (the grammar it validates every request with): it fills `_projection`,
 * `_condition`, `_keyCondition`, `_filter` and `_updates` of `data` and returns an error message, or undefined.
 */
declare module 'dynalite/validations' {
  export function validateExpressions(data: Record<string, unknown>): string | undefined;
}
