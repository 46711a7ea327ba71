'use client'

import type { FormEvent, ReactNode } from 'react'

import { useState } from 'react'

import type { ApiErrors, ApiResult } from './api.js'

export type FieldSpec = { label: string; name: string; type?: string }

const messagesOf = (errors: ApiErrors | undefined, key: string): string[] => {
  const value = errors?.[key]
  return Array.isArray(value) ? value : []
}

/** A form whose field errors appear under their fields, and `non_field_errors` / `detail` above it. */
export const Form = ({
  children,
  fields,
  initial = {},
  onDone,
  submit,
  submitLabel,
}: {
  children?: ReactNode
  fields: FieldSpec[]
  initial?: Record<string, string>
  onDone: (result: ApiResult) => void
  submit: (values: Record<string, string>) => Promise<ApiResult>
  submitLabel: string
}) => {
  const [values, setValues] = useState<Record<string, string>>(initial)
  const [errors, setErrors] = useState<ApiErrors | undefined>()
  const [isBusy, setIsBusy] = useState(false)

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault()
    setIsBusy(true)
    try {
      const body = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== ''))
      const result = await submit(body)
      setErrors(result.ok ? undefined : result.errors)
      onDone(result)
    } finally {
      setIsBusy(false)
    }
  }

  const general = [...messagesOf(errors, 'non_field_errors'), ...(typeof errors?.detail === 'string' ? [errors.detail] : [])]
  return (
    <form noValidate onSubmit={onSubmit}>
      {general.length > 0 && (
        <ul className="errors" data-testid="form-errors" role="alert">
          {general.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
      {fields.map((field) => (
        <label key={field.name}>
          {field.label}
          <input
            autoComplete={field.type === 'password' ? 'new-password' : field.name}
            name={field.name}
            onChange={(event) => setValues({ ...values, [field.name]: event.target.value })}
            type={field.type ?? 'text'}
            value={values[field.name] ?? ''}
          />
          {messagesOf(errors, field.name).length > 0 && (
            <ul className="errors" data-testid={`errors-${field.name}`}>
              {messagesOf(errors, field.name).map((message) => (
                <li key={message}>{message}</li>
              ))}
            </ul>
          )}
        </label>
      ))}
      {children}
      <button disabled={isBusy} type="submit">
        {submitLabel}
      </button>
    </form>
  )
}
