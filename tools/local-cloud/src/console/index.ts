export { CONSOLE_PATH, LocalConsole, consoleAssetsDir } from './local-console';
export { CONSOLE_COOKIE, ConsoleSessions } from './console-sessions';
export { consoleSnapshot, type ConsoleSnapshot, type ConsoleSources } from './console-snapshot';
