import type { ResponseMap } from '../http/contract.js'

import { messages } from '../errors/messages.js'
import { objectSchema } from '../http/contract.js'

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
