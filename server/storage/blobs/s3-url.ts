/**
 * `s3://[KEY:SECRET@]bucket[/prefix]?endpoint=URL&region=R&forcePathStyle=true|false&timeoutMs=N&maxAttempts=N&pageSize=N`
 * to S3Settings. Credentials not in the URL come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (and
 * AWS_SESSION_TOKEN). Every mistake is an InvalidInputError naming it; nothing is contacted here.
 */
import {InvalidInputError} from '#src/errors/index.js'
import {S3_DEFAULTS, type S3Credentials, type S3Settings} from './s3-settings.js'

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/
const PREFIX_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/
const PARAMS = new Set(['endpoint', 'region', 'forcePathStyle', 'timeoutMs', 'maxAttempts', 'pageSize'])

export function parseS3Url(url: URL, env: NodeJS.ProcessEnv): S3Settings {
  const bad = (what: string) => new InvalidInputError(`bad blob store URL ${redacted(url)}: ${what}`, {url: redacted(url)})
  if (!BUCKET.test(url.hostname)) throw bad(`'${url.hostname}' is not an S3 bucket name (3-63 of a-z 0-9 . -)`)
  const segments = url.pathname.split('/').filter((segment) => segment !== '')
  const wrong = segments.find((segment) => !PREFIX_SEGMENT.test(segment))
  if (wrong !== undefined) throw bad(`prefix segment '${wrong}' is not [A-Za-z0-9._-] (and not '.' or '..')`)
  for (const name of url.searchParams.keys()) if (!PARAMS.has(name)) throw bad(`unknown parameter '${name}' (known: ${[...PARAMS].join(', ')})`)

  const endpoint = url.searchParams.get('endpoint') ?? undefined
  if (endpoint !== undefined && !/^https?:\/\/[^/?#]+\/?$/.test(endpoint)) throw bad(`endpoint '${endpoint}' is not http(s)://host[:port]`)
  const region = url.searchParams.get('region') ?? S3_DEFAULTS.region
  if (!/^[a-z0-9-]{1,40}$/.test(region)) throw bad(`region '${region}' is not a region name`)
  const flag = url.searchParams.get('forcePathStyle')
  if (flag !== null && flag !== 'true' && flag !== 'false') throw bad(`forcePathStyle must be true or false, not '${flag}'`)
  const whole = (name: keyof typeof S3_DEFAULTS, max: number): number => {
    const text = url.searchParams.get(name)
    if (text === null) return S3_DEFAULTS[name] as number
    if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max) throw bad(`${name} must be a whole number from 1 to ${max}, not '${text}'`)
    return Number(text)
  }
  return {
    bucket: url.hostname,
    prefix: segments.join('/'),
    endpoint,
    region,
    // A custom endpoint is most often MinIO or s3rver, which want path style; AWS itself wants virtual hosts.
    forcePathStyle: flag === null ? endpoint !== undefined : flag === 'true',
    timeoutMs: whole('timeoutMs', 600_000),
    maxAttempts: whole('maxAttempts', 10),
    pageSize: whole('pageSize', 1000),
    // Last, so that a mistake in the URL is named before missing credentials are.
    credentials: credentialsOf(url, env, bad),
  }
}

function credentialsOf(url: URL, env: NodeJS.ProcessEnv, bad: (what: string) => InvalidInputError): S3Credentials {
  if (url.username !== '' || url.password !== '') {
    if (url.username === '' || url.password === '') throw bad('credentials in the URL need both KEY and SECRET (s3://KEY:SECRET@bucket)')
    return {accessKeyId: decodeURIComponent(url.username), secretAccessKey: decodeURIComponent(url.password)}
  }
  const accessKeyId = env.AWS_ACCESS_KEY_ID
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY
  if (!accessKeyId || !secretAccessKey) {
    throw bad('no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or put them in the URL (s3://KEY:SECRET@bucket)')
  }
  return {accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN || undefined}
}

/** The URL as it may appear in an error message: without its secret. */
function redacted(url: URL): string {
  if (url.password === '') return url.href
  const copy = new URL(url.href)
  copy.password = '***'
  return copy.href
}
