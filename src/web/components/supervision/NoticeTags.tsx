import { Tag, Typography } from 'antd';
import { NOTICE_COLOUR_LABELS, NOTICE_COLOUR_TAGS, type NoticeColour } from '../../supervisionApi.js';
import type { NoticeSummary } from '../../../contract/supervision.js';

export function ColourTag({ colour, label }: { colour: NoticeColour; label?: string }) {
  return <Tag color={NOTICE_COLOUR_TAGS[colour]}>{label ?? `${NOTICE_COLOUR_LABELS[colour]}督办单`}</Tag>;
}

/** The reply due date, red while the notice waits past it. */
export function DueOn({ notice }: { notice: Pick<NoticeSummary, 'replyDueOn' | 'overdue'> }) {
  return notice.overdue ? (
    <span className="nowrap">
      <Typography.Text type="danger" strong>
        {notice.replyDueOn}
      </Typography.Text>
      <Tag color="red" className="due-overdue-tag">
        已超期
      </Tag>
    </span>
  ) : (
    <span>{notice.replyDueOn}</span>
  );
}
