/** The owner of report schedules the engine itself made (not a user): their runs see everything. */
export const SYSTEM_OWNER = '00000000-0000-0000-0000-000000000000';
