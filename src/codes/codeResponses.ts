import type { JsonSchema, ResponseMap, ResponseSpec } from '../http/contract.js'
import type { RestAuthSettings } from '../types.js'

import { loginAnswer } from '../auth/loginAnswer.js'
import { messages } from '../errors/messages.js'
import { objectSchema, schemaRef, stringSchema } from '../http/contract.js'

/** What a route that takes a mailed code answers once its flow is dead (see closedFlowError). */
export const codeErrorResponses: ResponseMap = {
  401: {
    description:
      'The flow is dead: `code_expired` after codeTimeout, `code_attempts_exhausted` once codeMaxAttempts codes were wrong, `flow_invalid` for a used, unknown or other kind of flow token. A wrong code while attempts remain is a 400 `{"code": ["Incorrect code."]}`.',
    schema: objectSchema({
      code: { enum: ['code_expired', 'code_attempts_exhausted', 'flow_invalid'] },
      detail: { enum: [messages.code.expired, messages.code.attemptsExhausted, messages.code.flowInvalid] },
    }),
  },
}

/**
 * registration/'s login answer with emailVerificationByCode: the login's own keys (as
 * src/openapi/components.ts declares TokenLogin and JwtLogin) plus the flow token of the mailed code.
 */
export const loginAnswerWithCodeFlow = (settings: RestAuthSettings, { issueToken }: { issueToken: boolean }): ResponseSpec => {
  const base = loginAnswer(settings, { issueToken })
  if (!base.schema) {
    return base
  }
  const dateTime = { format: 'date-time', type: 'string' }
  const login: Record<string, JsonSchema> = settings.useJwt
    ? {
        access: stringSchema,
        refresh: stringSchema,
        user: schemaRef('User'),
        ...(settings.jwtAuthReturnExpiration ? { access_expiration: dateTime, refresh_expiration: dateTime } : {}),
      }
    : { key: stringSchema }
  return {
    ...base,
    description: `${base.description} With the flow token to post the mailed confirmation code with.`,
    schema: objectSchema({ ...login, expires_in: { type: 'integer' }, flow_token: stringSchema }),
  }
}
