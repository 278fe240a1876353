import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n';

/** How long typing pauses before the text is written to the shared document. */
const TYPING_PAUSE_MS = 400;

interface DraftProps {
  readonly value: string;
  readonly onCommit: (value: string) => void;
  readonly label: string;
  readonly readOnly: boolean;
  readonly onFocusChange?: (focused: boolean) => void;
}

/**
 * The shared value, except while this person is typing in it: then their draft, written to the
 * document when typing pauses and on leaving the field. A remote edit shows up as soon as they leave.
 */
function useDraft({ value, onCommit, onFocusChange }: Pick<DraftProps, 'value' | 'onCommit' | 'onFocusChange'>) {
  const [draft, setDraft] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const commit = useRef(onCommit);
  commit.current = onCommit;
  useEffect(() => () => clearTimeout(timer.current), []);
  const flush = (text: string) => {
    clearTimeout(timer.current);
    if (text !== value) commit.current(text);
  };
  return {
    value: draft ?? value,
    onFocus: () => {
      setDraft(value);
      onFocusChange?.(true);
    },
    onChange: (text: string) => {
      setDraft(text);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => commit.current(text), TYPING_PAUSE_MS);
    },
    onBlur: () => {
      if (draft !== null) flush(draft);
      setDraft(null);
      onFocusChange?.(false);
    },
    flush,
  };
}

export function TextField(
  props: DraftProps & { readonly maxLength?: number; readonly required?: boolean; readonly className?: string },
) {
  const draft = useDraft(props);
  return (
    <input
      className={props.className}
      aria-label={props.label}
      value={draft.value}
      readOnly={props.readOnly}
      maxLength={props.maxLength}
      required={props.required}
      onFocus={draft.onFocus}
      onBlur={draft.onBlur}
      onChange={(event) => draft.onChange(event.target.value)}
      onKeyDown={(event: KeyboardEvent<HTMLInputElement>) => {
        if (event.key === 'Enter') draft.flush(event.currentTarget.value);
      }}
    />
  );
}

export function TextArea(props: DraftProps & { readonly maxLength?: number; readonly rows?: number }) {
  const draft = useDraft(props);
  return (
    <textarea
      aria-label={props.label}
      value={draft.value}
      readOnly={props.readOnly}
      maxLength={props.maxLength}
      rows={props.rows ?? 3}
      onFocus={draft.onFocus}
      onBlur={draft.onBlur}
      onChange={(event) => draft.onChange(event.target.value)}
    />
  );
}

export function SelectField<T extends string>({
  value,
  options,
  label,
  readOnly,
  onCommit,
  labelOf,
  allowEmpty,
}: {
  readonly value: T | null;
  readonly options: readonly T[];
  readonly label: string;
  readonly readOnly: boolean;
  readonly onCommit: (value: T | null) => void;
  readonly labelOf: (value: T) => string;
  readonly allowEmpty?: string;
}) {
  return (
    <select
      aria-label={label}
      value={value ?? ''}
      disabled={readOnly}
      onChange={(event) => onCommit(event.target.value === '' ? null : (event.target.value as T))}
    >
      {allowEmpty !== undefined && <option value="">{allowEmpty}</option>}
      {options.map((option) => (
        <option key={option} value={option}>
          {labelOf(option)}
        </option>
      ))}
    </select>
  );
}

/**
 * A day: shown as text, and a date input only while someone edits it. A table of 100 milestones
 * would otherwise build 200 date pickers before anyone can type (most of its first render).
 */
export function DateField({
  value,
  label,
  readOnly,
  onCommit,
}: {
  readonly value: string | null;
  readonly label: string;
  readonly readOnly: boolean;
  readonly onCommit: (value: string | null) => void;
}) {
  const { formatDay } = useI18n();
  const [editing, setEditing] = useState(false);
  if (readOnly) return <span className="date-value">{formatDay(value)}</span>;
  if (!editing)
    return (
      <button
        type="button"
        className="date-value editable"
        aria-label={`${label}: ${formatDay(value)}`}
        onClick={() => setEditing(true)}
        onFocus={() => setEditing(true)}
      >
        {formatDay(value)}
      </button>
    );
  return (
    <input
      type="date"
      aria-label={label}
      value={value ?? ''}
      autoFocus
      onBlur={() => setEditing(false)}
      onKeyDown={(event) => {
        if (event.key === 'Escape' || event.key === 'Enter') setEditing(false);
      }}
      onChange={(event) => {
        // A half-typed date is empty to the browser: only a whole day (or a cleared field) is written.
        if (event.target.value !== '' || event.target.validity.valid)
          onCommit(event.target.value === '' ? null : event.target.value);
      }}
    />
  );
}

/** Chooses entries of the plan (dependencies, gated milestones) with checkboxes in a disclosure. */
export function MultiSelect({
  label,
  selected,
  options,
  readOnly,
  onCommit,
}: {
  readonly label: string;
  readonly selected: readonly string[];
  readonly options: readonly { readonly id: string; readonly label: string }[];
  readonly readOnly: boolean;
  readonly onCommit: (ids: string[]) => void;
}) {
  const { t } = useI18n();
  // The checkboxes exist only while the list is open: a table of 100 entries would otherwise hold 10,000.
  const [open, setOpen] = useState(false);
  const names = new Map(options.map((option) => [option.id, option.label]));
  const summary = selected.length === 0 ? t('none') : selected.map((id) => names.get(id) ?? id).join(', ');
  return (
    <details className="multi-select" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary aria-label={`${label}: ${summary}`}>{summary}</summary>
      {open && (
        <fieldset disabled={readOnly}>
          <legend className="visually-hidden">{label}</legend>
          {options.length === 0 && <p className="muted">—</p>}
          {options.map((option) => (
            <label key={option.id} className="check">
              <input
                type="checkbox"
                checked={selected.includes(option.id)}
                onChange={(event) =>
                  onCommit(event.target.checked ? [...selected, option.id] : selected.filter((id) => id !== option.id))
                }
              />
              {option.label}
            </label>
          ))}
        </fieldset>
      )}
    </details>
  );
}

/** Whole minutes (a duration, an offset from T0): committed when the typed text is a whole number, or cleared. */
export function MinutesField({
  value,
  label,
  readOnly,
  onCommit,
  min,
  max,
}: {
  readonly value: number | null;
  readonly label: string;
  readonly readOnly: boolean;
  readonly onCommit: (value: number | null) => void;
  readonly min: number;
  readonly max: number;
}) {
  const parse = (text: string): number | null | undefined => {
    if (text.trim() === '') return null;
    const number = Number(text);
    return Number.isInteger(number) && number >= min && number <= max ? number : undefined;
  };
  const draft = useDraft({
    value: value === null ? '' : String(value),
    onCommit: (text) => {
      const parsed = parse(text);
      if (parsed !== undefined) onCommit(parsed);
    },
  });
  return (
    <input
      type="number"
      className="minutes"
      inputMode="numeric"
      step={1}
      min={min}
      max={max}
      aria-label={label}
      aria-invalid={parse(draft.value) === undefined}
      value={draft.value}
      readOnly={readOnly}
      onFocus={draft.onFocus}
      onBlur={draft.onBlur}
      onChange={(event) => draft.onChange(event.target.value)}
      onKeyDown={(event: KeyboardEvent<HTMLInputElement>) => {
        if (event.key === 'Enter') draft.flush(event.currentTarget.value);
      }}
    />
  );
}

/** `2027-03-13T21:00`, as a datetime-local input reads and writes it, for an instant in this browser's zone. */
export function localInputOf(instant: string | null): string {
  if (instant === null) return '';
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return '';
  const two = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}T${two(date.getHours())}:${two(date.getMinutes())}`;
}

/** The instant (ISO 8601, UTC) a datetime-local input's value means in this browser's zone; null when empty or partial. */
export function instantOfLocalInput(value: string): string | null {
  if (value === '') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** An instant, chosen as a date and a time of this browser's zone and stored as ISO 8601 (UTC). */
export function InstantField({
  value,
  label,
  readOnly,
  onCommit,
}: {
  readonly value: string | null;
  readonly label: string;
  readonly readOnly: boolean;
  readonly onCommit: (value: string | null) => void;
}) {
  return (
    <input
      type="datetime-local"
      aria-label={label}
      value={localInputOf(value)}
      readOnly={readOnly}
      step={60}
      onChange={(event) => {
        // A half-typed instant is empty to the browser: only a whole one (or a cleared field) is written.
        if (event.target.value !== '' || event.target.validity.valid) onCommit(instantOfLocalInput(event.target.value));
      }}
    />
  );
}
