/**
 * Errors that only say the client went away while it was being answered (a daemon stopped, a laptop closed):
 * the answer is lost with the connection and nothing on the server is wrong, so they are not reported as
 * unexpected (the request's own log line already tells what happened).
 */
const GONE = new Set(['EPIPE', 'ECONNRESET', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE', 'ERR_HTTP2_STREAM_CANCEL'])

export function clientGone(error: unknown): boolean {
  return GONE.has((error as NodeJS.ErrnoException | undefined)?.code ?? '')
}
