'use client'
import { Button } from '@payloadcms/ui'
import React from 'react'

/** One button of a table row: its visible label, its accessible name (which names the row), and what it does. */
export type RowAction = {
  buttonStyle: 'secondary' | 'subtle'
  label: string
  name: string
  onClick: () => void
}

/** The action buttons of one row; all of them wait while any action of the panel runs. */
export const RowActions: React.FC<{ actions: RowAction[]; disabled: boolean }> = ({ actions, disabled }) => (
  <div className="rest-auth-table__actions">
    {actions.map(({ buttonStyle, label, name, onClick }) => (
      <Button aria-label={name} buttonStyle={buttonStyle} disabled={disabled} key={label} onClick={onClick} size="small">
        {label}
      </Button>
    ))}
  </div>
)
