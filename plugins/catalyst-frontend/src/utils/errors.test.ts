import { isNotFound } from './errors';

describe('isNotFound', () => {
  it.each([
    [{ statusCode: 404 }, true],
    [{ name: 'ResponseError', cause: { name: 'NotFoundError' } }, true],
    [{ body: { error: { name: 'NotFoundError' } } }, true],
    [{ statusCode: 403, cause: { name: 'NotAllowedError' } }, false],
    [new Error('boom'), false],
    [undefined, false],
  ])('%j → %s', (error, expected) => expect(isNotFound(error)).toBe(expected));
});
