// The fields addTag and updateTag share.
import { z } from 'zod';
import { description } from '../../validators/params.ts';

export const tagSettings = {
  description: description.optional(),
  colour: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour #rrggbb')
    .nullable()
    .optional()
    .describe('A colour #rrggbb the portals show the tag in; null: their default.'),
};
