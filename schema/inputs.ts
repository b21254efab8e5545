import { z } from 'zod';

/** A substring to search names for (checked by the validation plugin). */
export const searchText = z.string().max(128, 'search text is at most 128 characters');
