import { BadRequestError } from './errors';

/**
 * Control characters (they forge log lines and break displays), line and paragraph separators, bidi overrides
 * (they disguise text), and U+FFFD, which is what bytes that were not UTF-8 become once decoded leniently.
 */
/** Half of a UTF-16 pair alone: not text, and stored as U+FFFD. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const NOT_PRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffd]/;

/**
 * Collects every problem of an input before answering, so the caller can fix them all at once.
 *
 * @example
 * const check = new InputValidator(body, 'body');
 * const name = check.string('name', { maxLength: 200 });
 * check.onlyKnownKeys(['name']);
 * check.throwIfInvalid(); // 400 listing every problem
 */
export class InputValidator {
  public constructor(
    private readonly input: Record<string, unknown>,
    private readonly where: string,
    /** Shared with nested validators, so one 400 lists every problem of the whole input. */
    private readonly problems: string[] = [],
  ) {}

  public string(key: string, rules: { maxLength: number; pattern?: RegExp; patternHint?: string }): string {
    const value = this.input[key];
    if (typeof value !== 'string') {
      this.problems.push(`${this.where}.${key} must be a string`);
      return '';
    }
    const trimmed = value.trim();
    if (trimmed.length === 0) this.problems.push(`${this.where}.${key} must not be empty`);
    else if (trimmed.length > rules.maxLength)
      this.problems.push(`${this.where}.${key} must be at most ${rules.maxLength} characters`);
    else if (NOT_PRINTABLE.test(trimmed) || LONE_SURROGATE.test(trimmed))
      this.problems.push(
        `${this.where}.${key} must be printable text (no control characters, no U+FFFD from bytes that were not UTF-8)`,
      );
    else if (rules.pattern && !rules.pattern.test(trimmed))
      this.problems.push(`${this.where}.${key} must be ${rules.patternHint ?? `like ${rules.pattern}`}`);
    return trimmed;
  }

  public integer(key: string, rules: { min: number; max: number }): number {
    const value = this.input[key];
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      this.problems.push(`${this.where}.${key} must be an integer`);
      return 0;
    }
    if (value < rules.min || value > rules.max)
      this.problems.push(`${this.where}.${key} must be between ${rules.min} and ${rules.max}`);
    return value;
  }

  public array(key: string, rules: { minItems: number; maxItems: number }): unknown[] {
    const value = this.input[key];
    if (!Array.isArray(value)) {
      this.problems.push(`${this.where}.${key} must be an array`);
      return [];
    }
    if (value.length < rules.minItems || value.length > rules.maxItems)
      this.problems.push(
        `${this.where}.${key} must have between ${rules.minItems} and ${rules.maxItems} items`,
      );
    return value;
  }

  /** A nested object validated with its own validator whose problems are merged into this one. */
  public object(value: unknown, where: string): InputValidator | undefined {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.problems.push(`${where} must be an object`);
      return undefined;
    }
    return new InputValidator(value as Record<string, unknown>, where, this.problems);
  }

  public onlyKnownKeys(known: readonly string[]): void {
    for (const key of Object.keys(this.input)) {
      if (!known.includes(key)) this.problems.push(`${this.where}.${key} is not allowed`);
    }
  }

  public throwIfInvalid(): void {
    if (this.problems.length > 0) {
      throw new BadRequestError('Request is invalid', { details: [...this.problems] });
    }
  }
}
