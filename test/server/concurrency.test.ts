import test from 'ava'
import {testServer} from './support/test-server.js'
import {inlineOf, version} from './support/versions.js'

test('many clients committing the same path on the same base at once: exactly one wins each round', async (t) => {
  const server = await testServer(t)
  const api = server.as(await server.token('home'))
  const contenders = 8
  let base: number | null = null
  for (let round = 0; round < 10; round++) {
    const versions = Array.from({length: contenders}, (_, i) => version(`contender ${i} in round ${round}\n`))
    const inline = inlineOf(...versions)
    const results = await Promise.all(
      versions.map(
        async (v) => (await api.post('/v1/ns/home/commit').send({items: [{path: 'shared.cook', base, manifest: v.manifest}], ...inline})).body.results[0],
      ),
    )
    const won = results.filter((r) => r.status === 'committed')
    t.is(won.length, 1, `round ${round}: ${JSON.stringify(results)}`)
    for (const lost of results.filter((r) => r.status !== 'committed')) {
      t.is(lost.status, 'conflict')
      t.is(lost.head.jid, won[0].jid)
    }
    base = won[0].jid
  }
  t.is(await server.storage.journal.head('home'), 10)
})

test('a reader paging and long-polling while others commit sees every JID exactly once, in order', async (t) => {
  const server = await testServer(t)
  const api = server.as(await server.token('home'))
  const writers = 5
  const each = 40
  const total = writers * each
  const seen: number[] = []
  const reader = (async () => {
    let since = 0
    while (since < total) {
      const {body} = await api.get(`/v1/ns/home/changes?since=${since}&limit=7&wait=10`)
      seen.push(...body.entries.map((e: {jid: number}) => e.jid))
      since = body.last
    }
  })()
  await Promise.all(
    Array.from({length: writers}, async (_, w) => {
      for (let i = 0; i < each; i++) {
        const v = version(`writer ${w} edit ${i}\n`)
        const res = await api.post('/v1/ns/home/commit').send({items: [{path: `w${w}/f${i}.cook`, base: null, manifest: v.manifest}], ...v.inline})
        t.is(res.body.results[0].status, 'committed')
      }
    }),
  )
  await reader
  t.deepEqual(
    seen,
    Array.from({length: total}, (_, i) => i + 1),
  )
})
