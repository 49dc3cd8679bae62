const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** `YYYYMMDD'T'HHMMSS'Z'`, the form SigV4 signs. */
export function formatAmzDate(date: Date): string {
  return (
    `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`
  );
}

/** The number written by the digits text[start..end), or -1 if any of them is not a digit. */
function digits(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i += 1) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Parses `YYYYMMDD'T'HHMMSS'Z'` strictly: impossible dates (Feb 30, hour 24) are refused, not rolled over.
 * Hand-written because it runs on every request.
 */
export function parseAmzDate(text: string): Date | undefined {
  if (text.length !== 16 || text.charCodeAt(8) !== 0x54 || text.charCodeAt(15) !== 0x5a) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 4, 6);
  const day = digits(text, 6, 8);
  const hours = digits(text, 9, 11);
  const minutes = digits(text, 11, 13);
  const seconds = digits(text, 13, 15);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || hours > 23 || minutes > 59 || seconds > 59) {
    return undefined;
  }
  if (hours < 0 || minutes < 0 || seconds < 0) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day, hours, minutes, seconds));
  // Date.UTC rolls 20150230 over into March; a different day of month means the date does not exist.
  return date.getUTCDate() === day ? date : undefined;
}

/** An HTTP `Date` header in IMF-fixdate form (`Sun, 06 Nov 1994 08:49:37 GMT`), strictly. */
export function parseHttpDate(text: string): Date | undefined {
  const date = new Date(text);
  return !Number.isNaN(date.getTime()) && date.toUTCString() === text ? date : undefined;
}
