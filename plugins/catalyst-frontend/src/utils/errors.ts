/** A 404 from the catalyst API (ResponseError keeps the server's error as `cause` and `body.error`). */
export function isNotFound(error: unknown): boolean {
  const e = error as
    | { statusCode?: number; name?: string; cause?: { name?: string }; body?: { error?: { name?: string } } }
    | undefined;
  return (
    e?.statusCode === 404 ||
    e?.cause?.name === 'NotFoundError' ||
    e?.body?.error?.name === 'NotFoundError' ||
    e?.name === 'NotFoundError'
  );
}
