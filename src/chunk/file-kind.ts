/**
 * Which files are chunked by line (text) and which by content-defined boundaries (binary): by extension first,
 * then by a content sniff (a NUL byte in the first 8000 bytes means binary, as git decides).
 */
import path from 'node:path'

export type FileKind = 'text' | 'binary'

export const DEFAULT_TEXT_EXTENSIONS: readonly string[] = [
  '.cook',
  '.menu',
  '.md',
  '.markdown',
  '.txt',
  '.text',
  '.conf',
  '.cfg',
  '.ini',
  '.toml',
  '.yaml',
  '.yml',
  '.json',
  '.jinja',
  '.j2',
  '.csv',
  '.tsv',
  '.html',
  '.htm',
  '.css',
  '.xml',
  '.svg',
  '.org',
  '.rst',
  '.tex',
  '.sh',
  '.py',
  '.js',
  '.ts',
  '.env',
  '.log',
]

/** Formats that are binary whatever their first bytes say. */
export const DEFAULT_BINARY_EXTENSIONS: readonly string[] = [
  '.jpg',
  '.jpeg',
  '.png',
  '.gif',
  '.webp',
  '.heic',
  '.heif',
  '.avif',
  '.tif',
  '.tiff',
  '.bmp',
  '.ico',
  '.pdf',
  '.zip',
  '.gz',
  '.tgz',
  '.bz2',
  '.xz',
  '.zst',
  '.7z',
  '.rar',
  '.mp3',
  '.m4a',
  '.ogg',
  '.flac',
  '.wav',
  '.mp4',
  '.mov',
  '.mkv',
  '.webm',
  '.avi',
  '.docx',
  '.xlsx',
  '.pptx',
  '.odt',
  '.epub',
  '.sqlite',
]

export const SNIFF_BYTES = 8000

export interface KindRules {
  textExtensions: readonly string[]
  binaryExtensions: readonly string[]
}

export const DEFAULT_KIND_RULES: KindRules = {
  textExtensions: DEFAULT_TEXT_EXTENSIONS,
  binaryExtensions: DEFAULT_BINARY_EXTENSIONS,
}

/** The kind a file's name decides, or undefined when only its content can tell. */
export function kindByName(filePath: string, rules: KindRules = DEFAULT_KIND_RULES): FileKind | undefined {
  const ext = path.extname(filePath).toLowerCase()
  if (ext === '') return undefined
  if (rules.textExtensions.includes(ext)) return 'text'
  if (rules.binaryExtensions.includes(ext)) return 'binary'
  return undefined
}

export function sniffKind(head: Uint8Array): FileKind {
  const end = Math.min(head.length, SNIFF_BYTES)
  for (let i = 0; i < end; i++) if (head[i] === 0) return 'binary'
  return 'text'
}

export function detectKind(filePath: string, head: Uint8Array, rules: KindRules = DEFAULT_KIND_RULES): FileKind {
  return kindByName(filePath, rules) ?? sniffKind(head)
}
