import { describe, expect, it } from 'vitest';
import { resumeXml } from './resumeXml.ts';

const saved = `<domain type='qemu'><name>vm1</name><devices>
<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/d/images/a/old-top'/>
<backingStore type='file'><format type='qcow2'/><source file='/d/images/a/base'/></backingStore>
<target dev='vda' bus='virtio'/><address type='pci' domain='0x0000' bus='0x00' slot='0x04' function='0x0'/></disk>
<input type='tablet' bus='usb'><address type='usb' bus='0' port='1'/></input>
</devices></domain>`;
const current = `<domain type='qemu'><name>vm1</name><devices>
<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/d/images/a/preview-top'/><target dev='vda' bus='virtio'/></disk>
</devices></domain>`;

describe('resumeXml', () => {
  it("keeps the saved devices and addresses, with today's image and no old backing chain", () => {
    const xml = resumeXml(saved, current);
    expect(xml).toContain(`<source file="/d/images/a/preview-top"`);
    expect(xml).not.toContain('old-top');
    expect(xml).not.toContain('backingStore');
    expect(xml).toContain(`<address type="pci" domain="0x0000" bus="0x00" slot="0x04" function="0x0"`);
    expect(xml).toContain(`<address type="usb" bus="0" port="1"`);
  });
});
