import { Alert, Input, Modal, type ModalProps } from 'antd';
import type { ReactNode } from 'react';
import { errorMessage } from '../QueryState.js';

/** A supervision dialog: its fields stacked, the failed request's message under them; closing discards what was typed. */
export function FormDialog({
  open,
  title,
  okText,
  onClose,
  onOk,
  okButtonProps,
  width,
  error,
  children,
}: {
  open: boolean;
  title: ReactNode;
  okText: string;
  onClose: () => void;
  onOk: () => void;
  okButtonProps: ModalProps['okButtonProps'];
  width?: number;
  error: unknown;
  children: ReactNode;
}) {
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      cancelText="取消"
      onCancel={onClose}
      onOk={onOk}
      okButtonProps={okButtonProps}
      width={width}
      destroyOnHidden
    >
      <div className="dialog-form">
        {children}
        <MutationError error={error} />
      </div>
    </Modal>
  );
}

export function MutationError({ error }: { error: unknown }) {
  return error ? <Alert type="error" showIcon title={errorMessage(error)} /> : null;
}

/** A labelled text area; the label's htmlFor is what lets tests and screen readers find the field by its label. */
export function TextAreaField({
  id,
  label,
  value,
  onChange,
  rows,
  maxLength,
  showCount = false,
  placeholder,
}: {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  rows: number;
  maxLength: number;
  showCount?: boolean;
  placeholder?: string;
}) {
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <Input.TextArea
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        rows={rows}
        maxLength={maxLength}
        showCount={showCount}
        placeholder={placeholder}
      />
    </>
  );
}
