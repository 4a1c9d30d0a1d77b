/** The retention rules alone (pure): kept within keepDays, one a day while thinning, heads and recent deletions' last versions always. */
import test from 'ava'
import {DAY_MS, prunable, type Touch} from '#server/gc/plan-retention.js'

const now = 1000 * DAY_MS
const policy = {keepDays: 30, thinDays: 90}
const v = (jid: number, daysAgo: number, hour = 0): Touch => ({jid, time: now - daysAgo * DAY_MS + hour * 3_600_000, kind: 'version'})

test('recent versions and the head stay; in the thinning window the newest of each day stays; older ones go', (t) => {
  const touches = [v(1, 200), v(2, 60, 1), v(3, 60, 2), v(4, 59), v(5, 10), v(6, 150)]
  t.deepEqual(prunable(touches, policy, now), [1, 2])
})

test("a deleted path's last version stays for keepDays after the deletion, then follows the other rules", (t) => {
  const gone = (jid: number, daysAgo: number): Touch => ({jid, time: now - daysAgo * DAY_MS, kind: 'gone'})
  t.deepEqual(prunable([v(1, 500), gone(2, 5)], policy, now), [])
  t.deepEqual(prunable([v(1, 500), gone(2, 40)], policy, now), [1])
  t.deepEqual(prunable([v(1, 500), gone(2, 5), v(3, 1)], policy, now), [1], 'recreated since: the deletion is history')
})
