/** The two transports under test, each closed when the test ends, and what a test expects of a request's outcome. */
import type {ExecutionContext} from 'ava'
import {HttpTransport, serverUrl, type Transport, type TransportResponse} from '#src/journal/http-transport.js'
import {Http2Transport} from '#src/journal/http2-transport.js'
import type {Outcome} from '../../helpers/outcome-within.js'

export function http1(t: ExecutionContext, url: string): Transport {
  const transport = new HttpTransport(url, 'token')
  t.teardown(() => transport.close())
  return transport
}

export function http2(t: ExecutionContext, url: string): Transport {
  const transport = new Http2Transport(serverUrl(url), 'token')
  t.teardown(() => transport.close())
  return transport
}

export function assertAnswer(t: ExecutionContext, outcome: Outcome<TransportResponse>, status: number, body: string): void {
  if (!('resolved' in outcome)) return void t.fail(`rejected after ${outcome.ms} ms: ${String(outcome.rejected)}`)
  t.is(outcome.resolved.status, status)
  t.is(outcome.resolved.body.toString(), body)
}

export function assertNetworkError(t: ExecutionContext, outcome: Outcome<TransportResponse>, message: RegExp): void {
  if (!('rejected' in outcome)) return void t.fail(`resolved with status ${outcome.resolved.status} after ${outcome.ms} ms`)
  t.like(outcome.rejected, {code: 'E_NETWORK'})
  t.regex((outcome.rejected as Error).message, message)
}
