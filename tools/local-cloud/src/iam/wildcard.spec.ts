import { substituteVariables } from './variables';
import { arnLikeMatch, resourceMatch, wildcardMatch } from './wildcard';

// Wildcards in the Resource element: "An asterisk (*) represents any combination of characters and a question
// mark (?) represents any single character."
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
describe('wildcardMatch', () => {
  it('compares a pattern without wildcards exactly and case-sensitively', () => {
    // Prepare
    const pattern = 'arn:aws:sqs:us-east-2:111122223333:queue1';

    // Act
    const same = wildcardMatch(pattern, 'arn:aws:sqs:us-east-2:111122223333:queue1');
    const otherCase = wildcardMatch(pattern, 'arn:aws:sqs:us-east-2:111122223333:Queue1');

    // Assess
    expect(same).toBe(true);
    expect(otherCase).toBe(false);
  });

  // "The prefix and the action name are case insensitive."
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
  it('ignores case when asked to, as action names do', () => {
    // Prepare
    const pattern = 'iam:ListAccessKeys';

    // Act
    const matched = wildcardMatch(pattern, 'IAM:listaccesskeys', true);
    const matchedWithWildcard = wildcardMatch('IAM:List*', 'iam:listaccesskeys', true);

    // Assess
    expect(matched).toBe(true);
    expect(matchedWithWildcard).toBe(true);
  });

  it('lets * match any run of characters, none included', () => {
    // Prepare
    const pattern = 'arn:aws:s3:::my_corporate_bucket/*';

    // Act
    const results = [
      wildcardMatch(pattern, 'arn:aws:s3:::my_corporate_bucket/'),
      wildcardMatch(pattern, 'arn:aws:s3:::my_corporate_bucket/a/b/c.txt'),
      wildcardMatch(pattern, 'arn:aws:s3:::my_corporate_bucket'),
    ];

    // Assess
    expect(results).toEqual([true, true, false]);
  });

  // "The asterisk (*) character can expand to replace everything within a segment, including characters like a
  // forward slash (/)" - the amzn-s3-demo-bucket/*/test/* example of the Resource element page.
  it.each([
    ['amzn-s3-demo-bucket/1/test/object.jpg', true],
    ['amzn-s3-demo-bucket/1/2/test/object.jpg', true],
    ['amzn-s3-demo-bucket/1/2/test/3/object.jpg', true],
    ['amzn-s3-demo-bucket/1/2/3/test/4/object.jpg', true],
    ['amzn-s3-demo-bucket/1///test///object.jpg', true],
    ['amzn-s3-demo-bucket/1/test/.jpg', true],
    ['amzn-s3-demo-bucket//test/object.jpg', true],
    ['amzn-s3-demo-bucket/1/test/', true],
    ['amzn-s3-demo-bucket/1-test/object.jpg', false],
    ['amzn-s3-demo-bucket/test/object.jpg', false],
  ])('matches arn:aws:s3:::amzn-s3-demo-bucket/*/test/* against %s: %s', (object, expected) => {
    // Prepare
    const pattern = 'arn:aws:s3:::amzn-s3-demo-bucket/*/test/*';

    // Act
    const matched = wildcardMatch(pattern, `arn:aws:s3:::${object}`);

    // Assess
    expect(matched).toBe(expected);
  });

  it('lets ? match exactly one character', () => {
    // Prepare
    const pattern = 'arn:aws:s3:::amzn-s3-demo-bucket/report-????.csv';

    // Act
    const results = [
      wildcardMatch(pattern, 'arn:aws:s3:::amzn-s3-demo-bucket/report-2024.csv'),
      wildcardMatch(pattern, 'arn:aws:s3:::amzn-s3-demo-bucket/report-202.csv'),
      wildcardMatch(pattern, 'arn:aws:s3:::amzn-s3-demo-bucket/report-20245.csv'),
    ];

    // Assess
    expect(results).toEqual([true, false, false]);
  });

  it('treats characters that are special in regular expressions as themselves', () => {
    // Prepare
    const pattern = 'arn:aws:s3:::bucket/a.b+(c)[d]^$|{e}\\*';

    // Act
    const literal = wildcardMatch(pattern, 'arn:aws:s3:::bucket/a.b+(c)[d]^$|{e}\\anything');
    const dotAsAnyCharacter = wildcardMatch(pattern, 'arn:aws:s3:::bucket/aXb+(c)[d]^$|{e}\\anything');

    // Assess
    expect(literal).toBe(true);
    expect(dotAsAnyCharacter).toBe(false);
  });

  // "${*} - use where you need an * (asterisk) character. ${?} - use where you need a ? (question mark)
  // character." https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
  it('matches the literal characters that the ${*} and ${?} escapes stand for, not any character', () => {
    // Prepare
    const pattern = substituteVariables(
      'arn:aws:s3:::bucket/${*}/why${?}/*',
      () => undefined,
      true,
    ) as string;

    // Act
    const literal = wildcardMatch(pattern, 'arn:aws:s3:::bucket/*/why?/file');
    const other = wildcardMatch(pattern, 'arn:aws:s3:::bucket/star/whyX/file');

    // Assess
    expect(literal).toBe(true);
    expect(other).toBe(false);
  });
});

// "You can use wildcard characters (* and ?) within any ARN segment (the parts separated by colons)." ... "If the *
// wildcard is the last character of a resource ARN segment, it can expand to match beyond the colon boundaries."
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
describe('resourceMatch: wildcards stay within an ARN segment', () => {
  it('keeps a * inside a segment from running past a colon', () => {
    // Prepare
    const pattern = 'arn:aws:dynamodb:us-east-1:111122223333:table/Orders*Archive';

    // Act
    const within = resourceMatch(pattern, 'arn:aws:dynamodb:us-east-1:111122223333:table/Orders2024Archive');
    const acrossColon = resourceMatch(
      pattern,
      'arn:aws:dynamodb:us-east-1:111122223333:table/Orders:x:Archive',
    );

    // Assess
    expect(within).toBe(true);
    expect(acrossColon).toBe(false);
  });

  it('lets a * that ends a segment expand past colons, as in arn:aws:logs:...:log-group:name:*', () => {
    // Prepare
    const pattern = 'arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/orders-*';
    const segmentEnd = 'arn:aws:s3:*:111122223333:*';

    // Act
    const results = [
      resourceMatch(
        pattern,
        'arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/orders-get:log-stream:x',
      ),
      resourceMatch(segmentEnd, 'arn:aws:s3:us-east-1:111122223333:bucket/a:b'),
      resourceMatch('*', 'arn:aws:s3:::anything'),
    ];

    // Assess
    expect(results).toEqual([true, true, true]);
  });

  it('keeps ? to one character other than a colon', () => {
    // Prepare
    const pattern = 'arn:aws:sqs:us-east-?:111122223333:queue?';

    // Act
    const results = [
      resourceMatch(pattern, 'arn:aws:sqs:us-east-2:111122223333:queue1'),
      resourceMatch(pattern, 'arn:aws:sqs:us-east-2:111122223333:queue:'),
      resourceMatch(pattern, 'arn:aws:sqs:us-east-22:111122223333:queue1'),
    ];

    // Assess
    expect(results).toEqual([true, false, false]);
  });

  it('still lets * span slashes within a segment (execute-api method ARNs)', () => {
    // Prepare
    const pattern = 'arn:aws:execute-api:us-east-1:111122223333:a1b2c3/*/GET/orders/*';

    // Act
    const matched = resourceMatch(
      pattern,
      'arn:aws:execute-api:us-east-1:111122223333:a1b2c3/local/GET/orders/42',
    );

    // Assess
    expect(matched).toBe(true);
  });
});

// "Each of the six colon-delimited components of the ARN is checked separately and each can include multi-character
// match wildcards (*) or single-character match wildcards (?)."
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
describe('arnLikeMatch: component by component', () => {
  it('matches each of the six components on its own', () => {
    // Prepare
    const pattern = 'arn:aws:execute-api:*:111122223333:*';

    // Act
    const results = [
      arnLikeMatch(pattern, 'arn:aws:execute-api:us-east-1:111122223333:api1/authorizers/x'),
      arnLikeMatch(pattern, 'arn:aws:execute-api:us-east-1:444455556666:api1/authorizers/x'),
      arnLikeMatch('arn:aws:*', 'arn:aws:execute-api:us-east-1:111122223333:api1'),
      arnLikeMatch(pattern, 'not-an-arn'),
    ];

    // Assess
    expect(results).toEqual([true, false, false, false]);
  });
});
