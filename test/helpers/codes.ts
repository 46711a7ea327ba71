import type { ParsedMail } from 'mailparser'

/** The code in a code mail: a line of 8 letters (allauth's alphabet) or 8 digits. */
export const codeIn = (mail: ParsedMail): string => {
  const match = /^([A-HJ-NP-Z]{8}|\d{8})$/m.exec(mail.text ?? '')
  if (!match) {
    throw new Error(`no code in mail: ${mail.text}`)
  }
  return match[1]!
}

/** A wrong code of the same shape as `code`. */
export const wrongCode = (code: string): string => (/^\d+$/.test(code) ? (code[0] === '1' ? '2' : '1') + code.slice(1) : (code[0] === 'A' ? 'B' : 'A') + code.slice(1))
