/**
 * @parcel/watcher's subscribe and unsubscribe, taking turns process-wide. @parcel/watcher 2.6 shares one native
 * backend (one inotify instance and its thread) among a process's subscriptions and ends it when the last one is
 * unsubscribed; a subscription made while that happens joins the backend being ended and never hears an event.
 * Measured: a watch started while the process's only other one closed heard nothing 126 times in 200 (a daemon
 * of a library user, or a test, that stops one folder's watch as it starts another's). Taking turns, the next
 * subscription starts after the backend is gone, with a new one.
 */
import {subscribe as parcelSubscribe, type AsyncSubscription, type Options, type SubscribeCallback} from '@parcel/watcher'

let turn: Promise<unknown> = Promise.resolve()

function inTurn<T>(work: () => Promise<T>): Promise<T> {
  const result = turn.then(work, work)
  turn = result.catch(() => {})
  return result
}

/** Subscribes once every earlier subscribe and unsubscribe has finished; the subscription's unsubscribe waits its turn too. */
export async function subscribe(dir: string, callback: SubscribeCallback, options?: Options): Promise<AsyncSubscription> {
  const subscription = await inTurn(() => parcelSubscribe(dir, callback, options))
  return {unsubscribe: () => inTurn(() => subscription.unsubscribe())}
}
