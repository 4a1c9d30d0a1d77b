/**
 * A supertest parser for the JSON answers a sync client gets: they carry no Content-Type (server/http/send-json.ts),
 * so supertest would not parse them. `.parse(jsonAnswer)` on a request with the client's User-Agent.
 */
import type {IncomingMessage} from 'node:http'
import type {Response} from 'superagent'

export function jsonAnswer(answer: Response, done: (error: Error | null, body: unknown) => void): void {
  // What superagent hands a parser under node is the answer's stream.
  const res = answer as unknown as IncomingMessage
  let text = ''
  res.setEncoding('utf8')
  res.on('data', (part: string) => (text += part))
  res.on('end', () => {
    try {
      done(null, text === '' ? undefined : JSON.parse(text))
    } catch (error) {
      done(error as Error, undefined)
    }
  })
}
