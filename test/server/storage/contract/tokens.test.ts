/** Tokens, namespaces, settings and devices (server/storage/types.ts), the same assertions on every backend. */
import test from 'ava'
import type {DeviceRecord} from '#server/storage/types.js'
import {BACKENDS} from './backends.js'

for (const backend of BACKENDS) {
  const name = (what: string) => `${backend.name}: ${what}`

  test(name('tokens: create, look up, list, mark used, revoke by token and by name, the revocation counter'), async (t) => {
    const {tokens} = (await backend.open(t)).storage
    const laptop = await tokens.create({rights: 'read-write', namespace: 'home'}, 'laptop')
    const kitchen = await tokens.create({rights: 'read-only', namespace: 'home'}, 'kitchen')
    const admin = await tokens.create({rights: 'admin'}, 'prometheus')
    const unnamed = await tokens.create({rights: 'read-write', namespace: 'work'})
    t.regex(unnamed.name, /^token-[0-9a-f]{6}$/)
    t.deepEqual(await tokens.lookup(laptop.token), {rights: 'read-write', namespace: 'home', name: 'laptop'})
    t.deepEqual(await tokens.lookup(kitchen.token), {rights: 'read-only', namespace: 'home', name: 'kitchen'})
    t.deepEqual(await tokens.lookup(admin.token), {rights: 'admin', name: 'prometheus'})
    t.is(await tokens.lookup('nope'), undefined)
    t.is(await tokens.lookup('x'.repeat(10_000)), undefined)
    await t.throwsAsync(tokens.create({rights: 'read-write', namespace: 'home'}, 'laptop'), {code: 'E_NAME_TAKEN'})
    await t.throwsAsync(tokens.create({rights: 'admin'}, 'prometheus'), {code: 'E_NAME_TAKEN'})
    t.is((await tokens.create({rights: 'read-write', namespace: 'work'}, 'laptop')).name, 'laptop', 'names are per namespace')
    await t.throwsAsync(tokens.create({rights: 'read-write', namespace: '../x'}), {code: 'E_INVALID_INPUT'})
    t.deepEqual(await tokens.namespaces(), ['home', 'work'])

    const listed = await tokens.list()
    t.deepEqual(
      listed.map((info) => [info.rights === 'admin' ? '' : info.namespace, info.name]),
      [
        ['', 'prometheus'],
        ['home', 'kitchen'],
        ['home', 'laptop'],
        ['work', 'laptop'],
        ['work', unnamed.name],
      ].sort((a, b) => (`${a[0]}\0${a[1]}` < `${b[0]}\0${b[1]}` ? -1 : 1)),
    )
    t.true(listed.every((info) => typeof info.created === 'number' && info.lastUsed === undefined))
    await tokens.markUsed(
      new Map([
        [laptop.token, 2_000],
        ['unknown', 5],
      ]),
    )
    await tokens.markUsed(new Map([[laptop.token, 1_000]]))
    t.is((await tokens.list('home')).find((info) => info.name === 'laptop')?.lastUsed, 2_000, 'an older use does not replace a newer one')

    const counter = await tokens.revocations()
    t.true(await tokens.revoke(laptop.token))
    t.false(await tokens.revoke(laptop.token))
    t.is(await tokens.lookup(laptop.token), undefined)
    t.is(await tokens.revocations(), counter + 1)
    t.false(await tokens.revokeByName('kitchen', undefined), 'not an admin token')
    t.true(await tokens.revokeByName('kitchen', 'home'))
    t.true(await tokens.revokeByName('prometheus', undefined))
    t.is(await tokens.lookup(admin.token), undefined)
    t.is(await tokens.revocations(), counter + 3)
    t.is((await tokens.create({rights: 'read-write', namespace: 'home'}, 'laptop')).name, 'laptop', 'a revoked name is free again')
  })

  test(name('settings: retention defaults, changes kept, an unknown namespace or a bad value refused'), async (t) => {
    const opened = await backend.open(t)
    const {settings, tokens} = opened.storage
    const defaults = await settings.retention('home')
    await t.throwsAsync(settings.setRetention('home', {keepDays: 30}), {code: 'E_NOT_FOUND'})
    await tokens.create({rights: 'read-write', namespace: 'home'})
    t.deepEqual(await settings.setRetention('home', {keepDays: 30}), {...defaults, keepDays: 30})
    t.deepEqual(await settings.setRetention('home', {thinDays: 2}), {...defaults, keepDays: 30, thinDays: 2})
    await t.throwsAsync(settings.setRetention('home', {keepDays: -1}), {code: 'E_INVALID_INPUT'})
    const again = await opened.reopen()
    t.deepEqual(await again.settings.retention('home'), {...defaults, keepDays: 30, thinDays: 2})
  })

  test(name('settings: a quota is none by default, kept, removed, survives a restart, needs the namespace and a sane size'), async (t) => {
    const opened = await backend.open(t)
    const {settings, tokens} = opened.storage
    t.is(await settings.quota('home'), undefined)
    await t.throwsAsync(settings.setQuota('home', 5 * 1024 ** 3), {code: 'E_NOT_FOUND'})
    await tokens.create({rights: 'read-write', namespace: 'home'})
    await tokens.create({rights: 'read-write', namespace: 'work'})
    t.is(await settings.setQuota('home', 5 * 1024 ** 3), 5 * 1024 ** 3)
    t.is(await settings.setQuota('work', 2 * 1024 ** 2), 2 * 1024 ** 2)
    await t.throwsAsync(settings.setQuota('home', 1000), {code: 'E_INVALID_INPUT'})
    await t.throwsAsync(settings.setQuota('home', 1024 ** 2 + 0.5), {code: 'E_INVALID_INPUT'})
    t.is(await settings.setQuota('work', null), undefined)
    const again = await opened.reopen()
    t.is(await again.settings.quota('home'), 5 * 1024 ** 3)
    t.is(await again.settings.quota('work'), undefined)
  })

  test(name('settings: an encryption setting is kept once (the first wins), survives a restart, and needs the namespace'), async (t) => {
    const opened = await backend.open(t)
    const {settings, tokens} = opened.storage
    const setting = (salt: number) => ({
      encrypted: true as const,
      kdf: {name: 'scrypt' as const, N: 2 ** 15, r: 8, p: 1, salt: Buffer.alloc(16, salt).toString('base64')},
      check: Buffer.alloc(32, 9).toString('base64'),
    })
    await t.throwsAsync(settings.setEncryption('vault', setting(1)), {code: 'E_NOT_FOUND'})
    await tokens.create({rights: 'read-write', namespace: 'vault'})
    await tokens.create({rights: 'read-write', namespace: 'home'})
    t.is(await settings.encryption('vault'), undefined)
    t.deepEqual(await settings.setEncryption('vault', setting(1)), setting(1))
    t.deepEqual(await settings.setEncryption('vault', setting(2)), setting(1))
    const again = await opened.reopen()
    t.deepEqual(await again.settings.encryption('vault'), setting(1))
    t.is(await again.settings.encryption('home'), undefined)
  })

  test(name('devices: saved records replace those of the same token, listed by namespace and name'), async (t) => {
    const {devices} = (await backend.open(t)).storage
    const record = (namespace: string, token: string, lastSeen: number, extra: Partial<DeviceRecord> = {}): DeviceRecord => ({
      namespace,
      token,
      lastSeen,
      ...extra,
    })
    await devices.save([])
    await devices.save([record('work', 'a', 1), record('home', 'b', 2, {agent: 'sync/0.1.0', cursor: 7}), record('home', 'a', 3)])
    await devices.save([
      record('home', 'b', 4, {
        device: 'kitchen',
        lastError: {time: 4, status: 409, code: 'E_CONFLICT', message: 'moved on', request: 'POST /v1/ns/home/commit'},
      }),
    ])
    t.deepEqual(await devices.list(), [
      record('home', 'a', 3),
      record('home', 'b', 4, {
        device: 'kitchen',
        lastError: {time: 4, status: 409, code: 'E_CONFLICT', message: 'moved on', request: 'POST /v1/ns/home/commit'},
      }),
      record('work', 'a', 1),
    ])
    t.deepEqual(await devices.list('work'), [record('work', 'a', 1)])
  })
}
