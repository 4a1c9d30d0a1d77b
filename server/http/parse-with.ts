/** Checks a request value against a zod schema; the first problem becomes a 400 naming where it is. */
import type {z} from 'zod'
import {InvalidInputError} from '#src/errors/index.js'

export function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const where = issue.path.length > 0 ? ` at ${issue.path.join('.')}` : ''
  throw new InvalidInputError(`${what}${where}: ${issue.message}`)
}
