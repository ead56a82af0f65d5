import type { Static } from 'typebox';
import type { getItemDetail } from '../../../services/catalogue.js';
import type { ItemDetailResponse } from './schemas.js';

export function presentItem(detail: Awaited<ReturnType<typeof getItemDetail>>): Static<typeof ItemDetailResponse> {
  return detail;
}
