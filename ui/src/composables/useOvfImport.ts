// The kind-dependent half of an OVF/OVA import: importVm with ovfImportPreview, or importTemplate
// with ovfTemplateImportPreview. Both take the same input and answer in one shape here, so that
// OvfImportDialog serves both.
import { useClientHandle } from '@urql/vue';
import { useAction } from './useAction';
import { ImportTemplateMutation, ImportVmMutation, OvfImportPreviewQuery, OvfTemplateImportPreviewQuery } from '../graphql/ovf';
import type { ImportTemplateInput, ImportVmInput, OvfImportPreviewFieldsFragment } from '../gql/graphql';

export type OvfImportKind = 'vm' | 'template';
/** ImportVmInput and ImportTemplateInput have the same fields; one value serves either. */
export type OvfImportInput = ImportVmInput & ImportTemplateInput;
export type OvfPreview = OvfImportPreviewFieldsFragment;
/** The VM or template an import created, and what was said about it. */
export interface OvfImported {
  id: string;
  name: string;
  warnings: { code: string; message: string }[];
}

// Always a POST: an OVA travels as a multipart file.
const POST = { requestPolicy: 'network-only', preferGetMethod: false } as const;

export function useOvfImport(kind: OvfImportKind) {
  const { client } = useClientHandle();
  const vm = useAction(ImportVmMutation, 'importVm');
  const template = useAction(ImportTemplateMutation, 'importTemplate');
  const action = kind === 'vm' ? vm : template;

  /** The preview of `input`, or the message of the request's error. */
  async function preview(input: OvfImportInput): Promise<{ preview: OvfPreview | null; error?: string }> {
    const res =
      kind === 'vm'
        ? await client
            .query(OvfImportPreviewQuery, { input }, POST)
            .toPromise()
            .then((r) => ({ error: r.error, data: r.data?.ovfImportPreview }))
        : await client
            .query(OvfTemplateImportPreviewQuery, { input }, POST)
            .toPromise()
            .then((r) => ({ error: r.error, data: r.data?.ovfTemplateImportPreview }));
    return res.error ? { preview: null, error: res.error.message } : { preview: res.data ?? null };
  }

  /** Runs the import; null when refused or failed (`error` says why). */
  async function run(input: OvfImportInput): Promise<OvfImported | null> {
    if (kind === 'vm') {
      const done = await vm.run({ input });
      return done && 'imported' in done ? { ...done.imported.vm, warnings: done.imported.warnings } : null;
    }
    const done = await template.run({ input });
    return done && 'imported' in done ? { ...done.imported.template, warnings: done.imported.warnings } : null;
  }

  return { preview, run, running: action.running, error: action.error };
}
