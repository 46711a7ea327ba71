import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

export const sha256Hex = (value: string): string => createHash('sha256').update(value).digest('hex')

/** 40 hexadecimal characters, as Django REST framework's token keys. */
export const generateKey = (): string => randomBytes(20).toString('hex')

export const randomString = (bytes = 32): string => randomBytes(bytes).toString('base64url')

/** Compares two strings in time independent of where they differ. */
export const safeEqual = (a: string, b: string): boolean => {
  const left = createHash('sha256').update(a).digest()
  const right = createHash('sha256').update(b).digest()
  return timingSafeEqual(left, right) && a.length === b.length
}
