/** The one place an S3 client is built, so every store (and the test that guards these options) gets the same ones. */
import {S3Client, type S3ClientConfig} from '@aws-sdk/client-s3'
import {logger} from '#src/util/logger.js'
import type {S3Settings} from './s3-settings.js'

// The pinned SDK warns on every start under Node 20 that later releases need Node 22 (the pin is deliberate);
// library code never prints. An operator who wants the warning sets the variable to 'false'.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

const log = logger('blobs-s3')
/** The SDK and its HTTP handler would otherwise warn on the console; library code logs only to the debug logger. */
const sdkLogger = {trace: log, debug: log, info: log, warn: log, error: log}

export function s3ClientConfig(settings: S3Settings): S3ClientConfig {
  return {
    endpoint: settings.endpoint,
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    credentials: settings.credentials,
    // The SDK's default checksums send a streamed body as aws-chunked framing with a checksum trailer; a store that
    // does not decode it (s3rver) keeps the framing as the object's bytes: 300,000 B stored as 300,045 B.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: settings.maxAttempts,
    requestHandler: {
      connectionTimeout: settings.timeoutMs,
      requestTimeout: settings.timeoutMs,
      // Without this a request past its timeout only logs a warning and waits on.
      throwOnRequestTimeout: true,
      logger: sdkLogger,
    },
    logger: sdkLogger,
  }
}

export function createS3Client(settings: S3Settings): S3Client {
  return new S3Client(s3ClientConfig(settings))
}
