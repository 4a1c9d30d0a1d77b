/**
 * A brotli stream of `bytes` zeros in a few hundred bytes: what decompression limits are tested against. Made at
 * quality 5: the default (11) took 11 s of CPU for 300 MB, for the same few hundred bytes.
 */
import zlib from 'node:zlib'

export const brotliBomb = (bytes: number): Buffer => zlib.brotliCompressSync(Buffer.alloc(bytes), {params: {[zlib.constants.BROTLI_PARAM_QUALITY]: 5}})
