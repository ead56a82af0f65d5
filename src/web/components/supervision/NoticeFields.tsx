import { DatePicker } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { beijingDate } from '../../supervisionApi.js';
import { TextAreaField } from './FormDialog.js';

/** What a new 督办单 says, whether raised on an item or by escalating another: the reason, the requirement and the reply date. */
export function useNoticeFields() {
  const [reason, setReason] = useState('');
  const [requirement, setRequirement] = useState('');
  const [replyDueOn, setReplyDueOn] = useState(beijingDate(5));
  return {
    reason,
    setReason,
    requirement,
    setRequirement,
    replyDueOn,
    setReplyDueOn,
    complete: Boolean(reason.trim() && replyDueOn),
    // a blank requirement is left out so that the server words the default one
    body: () => ({
      reason: reason.trim(),
      ...(requirement.trim() ? { requirement: requirement.trim() } : {}),
      replyDueOn,
    }),
    // the date is kept: the next notice most likely wants the same one
    clear: () => {
      setReason('');
      setRequirement('');
    },
  };
}

export function NoticeFields({
  fields,
  idPrefix,
  reasonLabel,
  reasonPlaceholder,
}: {
  fields: ReturnType<typeof useNoticeFields>;
  idPrefix: string;
  reasonLabel: string;
  reasonPlaceholder: string;
}) {
  return (
    <>
      <TextAreaField
        id={`${idPrefix}-reason`}
        label={reasonLabel}
        value={fields.reason}
        onChange={fields.setReason}
        rows={3}
        maxLength={2000}
        showCount
        placeholder={reasonPlaceholder}
      />
      <TextAreaField
        id={`${idPrefix}-requirement`}
        label="办理要求"
        value={fields.requirement}
        onChange={fields.setRequirement}
        rows={3}
        maxLength={2000}
        placeholder="不填时使用默认要求"
      />
      <label htmlFor={`${idPrefix}-due`}>反馈时限</label>
      <DatePicker
        id={`${idPrefix}-due`}
        value={fields.replyDueOn ? dayjs(fields.replyDueOn) : null}
        onChange={(value) => fields.setReplyDueOn(value ? value.format('YYYY-MM-DD') : '')}
        allowClear={false}
        style={{ width: 180 }}
      />
    </>
  );
}
