'use client'
import type { Validate } from 'payload'

import {
  EmailField,
  Form,
  FormSubmit,
  Link,
  PasswordField,
  TextField,
  useAuth,
  useConfig,
  useFormProcessing,
  useTranslation,
} from '@payloadcms/ui'
import { email as validateEmail, formatAdminURL, username as validateUsername } from 'payload/shared'
import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react'

import { translator } from '../../translations/index.js'

const baseClass = 'login__form'

/** Payload's error codes (src/mfa/payloadLoginGate.ts) after which the login needs a second factor. */
const SECOND_FACTOR_CODES = new Set(['mfa_incorrect_code', 'mfa_required'])

type Props = {
  loginType: 'email' | 'emailOrUsername' | 'username'
  prefill: { email?: string; password?: string; username?: string }
  redirectTo: string
}

/** The account field, as Payload's own login draws it for the collection's login options. */
const AccountField = ({ loginType }: Pick<Props, 'loginType'>) => {
  const { t } = useTranslation()
  const validateEither = useCallback<Validate>(
    (value, options) => {
      const asUsername = validateUsername(value, options as never)
      const asEmail = validateEmail(value, options as never)
      return asUsername === true || asEmail === true ? true : `${t('general:email')}: ${String(asEmail)} ${t('general:username')}: ${String(asUsername)}`
    },
    [t],
  )
  if (loginType === 'email') {
    return (
      <EmailField
        field={{ name: 'email', admin: { autoComplete: 'email' }, label: t('general:email'), required: true }}
        path="email"
        validate={validateEmail as never}
      />
    )
  }
  return (
    <TextField
      field={{
        name: 'username',
        admin: { autoComplete: 'username' },
        label: loginType === 'username' ? t('general:username') : t('authentication:emailOrUsername'),
        required: true,
      }}
      path="username"
      validate={(loginType === 'username' ? validateUsername : validateEither) as never}
    />
  )
}

/** The second factor's field, focused once the answer that asked for it is in (the form is read-only until then). */
const CodeField = () => {
  const { i18n } = useTranslation()
  const t = translator(i18n as never)
  const isProcessing = useFormProcessing()
  const hasFocused = useRef(false)
  useEffect(() => {
    if (!isProcessing && !hasFocused.current) {
      hasFocused.current = true
      document.getElementById('field-code')?.focus()
    }
  }, [isProcessing])
  return (
    <div data-testid="rest-auth-login-code">
      <TextField
        field={{
          name: 'code',
          admin: { autoComplete: 'one-time-code', description: t('login-code-description') },
          label: t('login-code-label'),
          required: true,
        }}
        path="code"
      />
    </div>
  )
}

/**
 * Payload's login form with a second step: when Payload's login answers that the account needs its
 * second factor, a code field appears (a code from the authenticator app or a recovery code) and the
 * next submit sends it with the credentials as `code`. The form posts to Payload's own login route,
 * so its rules, throttles and cookies are Payload's and the plugin's, unchanged.
 */
export const AdminLoginForm = ({ loginType, prefill, redirectTo }: Props) => {
  const { config } = useConfig()
  const { setUser } = useAuth()
  const { i18n, t } = useTranslation()
  const [needsCode, setNeedsCode] = useState(false)
  const loginUrl = formatAdminURL({ apiRoute: config.routes.api, path: `/${config.admin.user}/login` })

  const initialState = useMemo(() => {
    const account = loginType === 'email' ? 'email' : 'username'
    const value = loginType === 'email' ? prefill.email : (prefill.username ?? prefill.email)
    return {
      [account]: { initialValue: value, valid: true, value },
      password: { initialValue: prefill.password, valid: true, value: prefill.password },
    }
  }, [loginType, prefill.email, prefill.password, prefill.username])

  // The form's own request, so that the answer can be looked at before the form reports it.
  const submit = useCallback(
    async (body: FormData): Promise<Response> => {
      const response = await fetch(loginUrl, {
        body,
        credentials: 'include',
        headers: { 'Accept-Language': i18n.language },
        method: 'POST',
      })
      if (response.status === 401) {
        const answer = (await response
          .clone()
          .json()
          .catch(() => null)) as { errors?: { data?: { code?: string } }[] } | null
        if (answer?.errors?.some((error) => SECOND_FACTOR_CODES.has(String(error.data?.code)))) {
          setNeedsCode(true)
        }
      }
      return response
    },
    [i18n.language, loginUrl],
  )

  return (
    <Form
      action={submit as never}
      className={baseClass}
      disableSuccessStatus
      initialState={initialState}
      method="POST"
      onSuccess={(data) => {
        setUser(data as never)
      }}
      redirect={redirectTo}
      waitForAutocomplete
    >
      <div className={`${baseClass}__inputWrap`}>
        <AccountField loginType={loginType} />
        <PasswordField field={{ name: 'password', label: t('general:password'), required: true }} path="password" />
        {needsCode && <CodeField />}
      </div>
      <Link href={formatAdminURL({ adminRoute: config.routes.admin, path: config.admin.routes.forgot })} prefetch={false}>
        {t('authentication:forgotPasswordQuestion')}
      </Link>
      <FormSubmit size="large">{t('authentication:login')}</FormSubmit>
    </Form>
  )
}
