import { customerRecordOf } from '../src/domain/customer-record';

describe('the customer record of a confirmed user', () => {
  const sub = '7d8f6a2e-1b3c-4d5e-8f90-a1b2c3d4e5f6';

  it.each([
    ['the name attribute, trimmed', { name: '  Ada Lovelace ' }, 'Ada Lovelace'],
    ['the local part of the email without a name', {}, 'ada.lovelace+shop'],
    ['the local part of the email for a blank name', { name: '   ' }, 'ada.lovelace+shop'],
    [
      'the first 200 characters of a longer name (Cognito allows 2048)',
      { name: 'A'.repeat(2048) },
      'A'.repeat(200),
    ],
  ])('is named after %s', (_case, attributes, name) => {
    // Act
    const record = customerRecordOf({ sub, email: 'ada.lovelace+shop@example.com', ...attributes });

    // Assess
    expect(record).toEqual({ id: sub, name, email: 'ada.lovelace+shop@example.com' });
  });

  it.each([
    ['sub', { email: 'ada@example.com' }],
    ['email', { sub }],
  ])('cannot be made without the %s attribute', (attribute, attributes) => {
    // Act
    const make = () => customerRecordOf(attributes);

    // Assess
    expect(make).toThrow(`The user has no ${attribute} attribute`);
  });
});
