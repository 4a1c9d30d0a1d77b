/** Query parameters: whole numbers within bounds (values over the maximum are taken as the maximum), or strings. */
import type {Context} from 'koa'
import {InvalidInputError} from '#src/errors/index.js'

const WHOLE = /^\d{1,15}$/

export function intParam(ctx: Context, name: string, bounds: {min: number; max?: number; fallback?: number}): number {
  const raw = ctx.query[name]
  if (raw === undefined) {
    if (bounds.fallback === undefined) throw new InvalidInputError(`the query needs ${name}`)
    return bounds.fallback
  }
  if (typeof raw !== 'string' || !WHOLE.test(raw)) throw new InvalidInputError(`${name} must be one whole number`)
  const value = Number(raw)
  if (value < bounds.min) throw new InvalidInputError(`${name} must be at least ${bounds.min}`)
  return bounds.max === undefined ? value : Math.min(value, bounds.max)
}

export function stringParam(ctx: Context, name: string): string | undefined {
  const raw = ctx.query[name]
  if (raw !== undefined && typeof raw !== 'string') throw new InvalidInputError(`${name} must be given once`)
  return raw
}
