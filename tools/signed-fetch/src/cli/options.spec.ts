import { CliError } from './exit-codes';
import { DEFAULT_PRESIGN_EXPIRES_SECONDS, parseArguments } from './options';

const URL_ = 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/x';

describe('parseArguments (curl command-line habits)', () => {
  it('reads long options, short options with separate or attached values, and clustered flags', () => {
    // Act
    const options = parseArguments(['-XPOST', '-H', 'A: 1', '-HB: 2', '-sSfi', '--max-time', '1.5', URL_]);

    // Assess
    expect(options).toMatchObject({
      method: 'POST',
      headers: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
      silent: true,
      showError: true,
      fail: true,
      include: true,
      maxTimeSeconds: 1.5,
      url: URL_,
      expiresSeconds: DEFAULT_PRESIGN_EXPIRES_SECONDS,
    });
  });

  it('keeps -d, --data-binary and --json in order, and reads "Name:" as removal, "Name;" as empty', () => {
    // Act
    const options = parseArguments([
      '-d',
      'a=1',
      '--json',
      '{}',
      '--data-binary',
      '@f',
      '-H',
      'X:',
      '-H',
      'Y;',
      URL_,
    ]);

    // Assess
    expect(options.data).toEqual([
      { kind: 'data', value: 'a=1' },
      { kind: 'json', value: '{}' },
      { kind: 'data-binary', value: '@f' },
    ]);
    expect(options.headers).toEqual([
      { name: 'X', value: null },
      { name: 'Y', value: '' },
    ]);
  });

  it('takes what follows -- as the URL, even when it starts with a dash', () => {
    expect(parseArguments(['-s', '--', URL_]).url).toBe(URL_);
    expect(() => parseArguments(['--', '-s'])).toThrow("'-s' is not a URL (include http:// or https://)");
  });

  it.each([
    [['--nope', URL_], 'option --nope: is unknown'],
    [['-q', URL_], 'option -q: is unknown'],
    [[], 'no URL given'],
    [[URL_, URL_], 'only one URL per call'],
    [['-H'], 'option --header: requires a value'],
    [['-H', 'no-colon', URL_], "option --header: expected 'Name: value', got 'no-colon'"],
    [['--retry', '1.5', URL_], "option --retry: expected a whole number >= 0, got '1.5'"],
    [['--max-time', '-1', URL_], "option --max-time: expected a number >= 0, got '-1'"],
    [['-I', '-d', 'x', URL_], '-I/--head sends no body: it cannot be used with -d/--data-binary/--json'],
    [['--role-session-name', 'x', URL_], '--role-session-name needs --role-arn'],
    [['--expires', '604801', URL_], '--expires: between 1 and 604800 seconds (7 days), as AWS allows'],
    [
      ['-H', 'X-Amz-Date: 2015-08-30T12:36:00Z', URL_],
      "-H X-Amz-Date: expected YYYYMMDD'T'HHMMSS'Z' (ISO 8601 basic, UTC), as SigV4 signs it; got '2015-08-30T12:36:00Z'",
    ],
    [['-H', 'X-Amz-Date: 20151330T123600Z', URL_], "-H X-Amz-Date: '20151330T123600Z' is not a date"],
    [
      ['-H', 'X-Amz-Date:', URL_],
      '-H X-Amz-Date: SigV4 needs the header: leave it out to sign at the current time',
    ],
    [['ftp://x/y'], "unsupported protocol 'ftp:': http: or https: only"],
    [['not a url'], "'not a url' is not a URL (include http:// or https://)"],
    [['http://h/p?a=%zz'], "malformed %-encoding in the query of 'http://h/p?a=%zz'"],
  ])('refuses %j with exit code 2: %s', (argv, message) => {
    // Act
    const attempt = () => parseArguments(argv);

    // Assess
    expect(attempt).toThrow(new CliError(message, 2));
    expect(attempt).toThrow(expect.objectContaining({ exitCode: 2 }) as unknown as Error);
  });

  it('answers --help and --version without a URL', () => {
    expect(parseArguments(['--help']).help).toBe(true);
    expect(parseArguments(['-V']).version).toBe(true);
  });

  // curl --aws-sigv4 signs with a date the user gives in X-Amz-Date instead of replacing it; so does signed-fetch.
  it('signs at the X-Amz-Date given with -H, and leaves the header to the signer', () => {
    // Act
    const options = parseArguments(['-H', 'x-amz-date: 20150830T123600Z', '-H', 'X-Trace: 1', URL_]);

    // Assess
    expect(options.signingDate?.toISOString()).toBe('2015-08-30T12:36:00.000Z');
    expect(options.headers).toEqual([{ name: 'X-Trace', value: '1' }]);
  });
});
