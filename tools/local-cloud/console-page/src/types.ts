// The page reads what the local cloud's console endpoints answer: their own types, so the two cannot drift.
export type { ConsoleRoute, ConsoleSnapshot } from '../../src/console/console-snapshot';
export type { LoggedRequest as LoggedRequestView } from '../../src/requests/request-log';
