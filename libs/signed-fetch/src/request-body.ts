import { SigningError } from './errors';

/**
 * Any fetch body as bytes: SigV4 signs the SHA-256 of the exact bytes sent, so streams and blobs are
 * read fully first (and the buffer is what goes on the wire, also on retries).
 */
export async function bodyBytes(
  body: BodyInit | null | undefined,
): Promise<{ bytes?: Uint8Array; contentType?: string }> {
  if (body === null || body === undefined) return {};
  try {
    if (typeof body === 'string') return { bytes: new TextEncoder().encode(body) };
    if (body instanceof URLSearchParams) {
      return {
        bytes: new TextEncoder().encode(body.toString()),
        contentType: 'application/x-www-form-urlencoded;charset=UTF-8',
      };
    }
    if (body instanceof Uint8Array) return { bytes: body };
    if (body instanceof ArrayBuffer) return { bytes: new Uint8Array(body) };
    if (ArrayBuffer.isView(body))
      return { bytes: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
    if (body instanceof Blob)
      return { bytes: new Uint8Array(await body.arrayBuffer()), contentType: body.type || undefined };
    if (body instanceof ReadableStream)
      return { bytes: new Uint8Array(await new Response(body).arrayBuffer()) };
  } catch (error) {
    throw new SigningError('Could not read the request body', { cause: error });
  }
  throw new SigningError(`Unsupported body type: ${Object.prototype.toString.call(body)}`);
}
