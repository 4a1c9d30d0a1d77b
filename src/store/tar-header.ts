/**
 * The ustar header of one pack entry, byte for byte as tar-stream writes it for a plain file named `name`
 * (mode 644, owner 0, mtime 0): a test compares the two. Written here because a pack file gets one entry per
 * 64 KiB block, and tar-stream's stream machinery, and the copy that joined its pieces, cost more per block
 * than the header itself.
 */
export const TAR_BLOCK = 512

const MAGIC_OFFSET = 257

let template: Buffer | undefined

/** `value` in octal, zero-padded to `digits`, then a space: tar-stream's number fields. */
function octal(value: number, digits: number): string {
  return `${value.toString(8).padStart(digits, '0')} `
}

function fixedFields(): Buffer {
  const header = Buffer.alloc(TAR_BLOCK)
  header.write(octal(0o644, 6), 100, 'latin1')
  header.write(octal(0, 6), 108, 'latin1') // uid
  header.write(octal(0, 6), 116, 'latin1') // gid
  header.write(octal(0, 11), 136, 'latin1') // mtime
  header[156] = 0x30 // typeflag '0': a plain file
  header.write('ustar\0', MAGIC_OFFSET, 'latin1')
  header.write('00', MAGIC_OFFSET + 6, 'latin1')
  header.write(octal(0, 6), 329, 'latin1') // devmajor
  header.write(octal(0, 6), 337, 'latin1') // devminor
  return header
}

/** `name` is ASCII and at most 100 bytes; `size` under 8 GiB (11 octal digits). */
export function tarFileHeader(name: string, size: number): Buffer {
  template ??= fixedFields()
  const header = Buffer.from(template)
  header.write(name, 0, 'latin1')
  header.write(octal(size, 11), 124, 'latin1')
  // The checksum counts its own field as eight spaces.
  let sum = 8 * 0x20
  for (let i = 0; i < TAR_BLOCK; i++) sum += header[i]
  header.write(octal(sum, 6), 148, 'latin1')
  return header
}
