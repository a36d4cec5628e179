import { hasDuplicateTopLevelMembers } from './json-members.js';

describe('hasDuplicateTopLevelMembers', () => {
  it.each([
    '{"alg":"none","alg":"EdDSA"}',
    '{"sub":"user-1","x":{"sub":1},"sub":"admin"}',
    '{"a":1,"\\u0061":2}',
    '{ "a" : 1 , "a" : 2 }',
  ])('finds the duplicate in %s', (json) => {
    expect(hasDuplicateTopLevelMembers(json)).toBe(true);
  });

  it.each([
    '{"alg":"EdDSA","typ":"at+jwt","kid":"k"}',
    '{"a":{"b":1},"c":{"b":2}}',
    '{"a":"a","b":"a"}',
    '{"a":["a","a"],"b":"\\"a\\""}',
    '{"quote\\"key":1,"quote":2}',
    '{}',
  ])('accepts %s', (json) => {
    expect(hasDuplicateTopLevelMembers(json)).toBe(false);
  });
});
